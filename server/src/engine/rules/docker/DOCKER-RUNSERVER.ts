import { basename } from 'node:path';
import { appModule, models, prodDockerfiles } from '../../deploy/context';
import { gunicornCommand, portOf, uvicornCommand } from '../../deploy/dockerkit';
import { isRunserver } from '../../deploy/shell';
import { pinFor } from '../../requirements/rulekit';
import type { Fix } from '../../types';
import type { ProjectRule } from '../types';

export const rule: ProjectRule = {
  id: 'DOCKER-RUNSERVER',
  name: 'docker-runserver',
  family: 'project',
  summary: "The production image starts Django's development server",
  defaultSeverity: 'error',
  djangoChecks: [],
  docs: `\`manage.py runserver\` is single-threaded by default, reloads code, serves static files only with
DEBUG on and has had no security review; \`runserver_plus\` (django-extensions) even serves the Werkzeug
debugger, which executes code. The final stage's CMD/ENTRYPOINT (and the repo script it runs) must
start a production server. The fix starts gunicorn on \`0.0.0.0:$PORT\` (default: the EXPOSEd port)
through \`exec\`, so gunicorn is PID 1 and receives SIGTERM, and adds gunicorn to the requirements
the image installs. Dockerfiles named \`*.dev\`, \`*local*\`, \`*test*\` are not checked.

Before:
\`\`\`dockerfile
CMD python manage.py runserver 0.0.0.0:8000
\`\`\`
After:
\`\`\`dockerfile
CMD ["sh", "-c", "exec gunicorn shop.wsgi:application --bind 0.0.0.0:\${PORT:-8000}"]
\`\`\``,
  check(ctx) {
    const deps = models(ctx).deps;
    for (const d of prodDockerfiles(ctx)) {
      const seen = new Set<unknown>();
      for (const c of d.startCommands()) {
        if (!isRunserver(c.argv) || seen.has(c.instr)) continue;
        seen.add(c.instr);
        const port = portOf(d);
        const fixes: Fix[] = [];
        const range = c.instr.getRange();
        if (!c.script) {
          const req = deps.addEdits('gunicorn', pinFor('gunicorn'), ['uvicorn-worker']);
          fixes.push({ title: `Start gunicorn on 0.0.0.0:$PORT instead${req.length ? ' (and add it to the requirements)' : ''}`, edits: [{ file: d.path, range, newText: gunicornCommand(ctx, c.kind, port) }, ...req], safe: true });
          const asgi = (deps.inProduction('channels', 'uvicorn', 'daphne') || ctx.profile?.setting('ASGI_APPLICATION').isDefault === false) && appModule(ctx, 'asgi');
          const uv = asgi ? uvicornCommand(ctx, c.kind, port) : undefined;
          if (uv) fixes.push({ title: 'Start uvicorn (ASGI) instead', edits: [{ file: d.path, range, newText: uv }, ...deps.addEdits('uvicorn', pinFor('uvicorn'))], safe: false });
        }
        const plus = c.argv.includes('runserver_plus');
        ctx.report({
          file: d.path,
          range,
          message: `${basename(d.path)} starts Django's development server${plus ? ' (runserver_plus serves the Werkzeug debugger)' : ''}${c.script ? ` in ${basename(c.script)}` : ''}: use gunicorn, uvicorn or another production server`,
          fixes,
        });
      }
    }
  },
};

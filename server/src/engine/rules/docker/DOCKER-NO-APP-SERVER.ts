import { basename } from 'node:path';
import { prodDockerfiles } from '../../deploy/context';
import { appServerOf, effectiveProgram, isRunserver } from '../../deploy/shell';
import type { ProjectRule } from '../types';

const WORKERS = /^(celery|rq|huey|dramatiq|flower|nginx|caddy|supervisord|honcho|circusd)$/;

export const rule: ProjectRule = {
  id: 'DOCKER-NO-APP-SERVER',
  name: 'docker-no-app-server',
  family: 'project',
  summary: 'The production image does not start a recognised application server',
  defaultSeverity: 'information',
  djangoChecks: [],
  docs: `The final stage's CMD/ENTRYPOINT (and the repo script it runs) starts none of gunicorn, uvicorn,
daphne, uWSGI, granian, hypercorn or waitress — directly, through \`python -m\`, or behind
newrelic-admin/ddtrace-run/opentelemetry-instrument — or sets no command at all, so the image runs
whatever its base image runs. Worker images (celery, rq, huey, dramatiq) and commands whose script
cannot be read are not reported; \`runserver\` is DOCKER-RUNSERVER.

Before:
\`\`\`dockerfile
CMD ["python", "app.py"]
\`\`\`
After:
\`\`\`dockerfile
CMD ["gunicorn", "shop.wsgi:application", "--bind", "0.0.0.0:8000"]
\`\`\``,
  check(ctx) {
    for (const d of prodDockerfiles(ctx)) {
      const final = d.final;
      if (!final) continue;
      const cmds = d.startCommands();
      if (cmds.some((c) => appServerOf(c.argv) || isRunserver(c.argv))) continue;
      const programs = cmds.map((c) => effectiveProgram(c.argv)?.program ?? '');
      if (programs.some((p) => WORKERS.test(p))) continue;
      // A script we could not read may well start the server.
      if (cmds.some((c) => !c.script && /\.(sh|bash)$|entrypoint|start/.test(c.argv[0] ?? '') && !d.scriptFile(c.argv))) continue;
      const instr = cmds[0]?.instr;
      ctx.report({
        file: d.path,
        range: (instr ?? final.from).getRange(),
        message: instr
          ? `The container command in ${basename(d.path)} starts no production server (gunicorn, uvicorn, daphne...)`
          : `The final stage of ${basename(d.path)} sets no CMD or ENTRYPOINT: the image runs its base image's default command`,
      });
    }
  },
};

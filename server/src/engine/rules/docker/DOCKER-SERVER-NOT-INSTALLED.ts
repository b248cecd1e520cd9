import { basename } from 'node:path';
import { models, prodDockerfiles } from '../../deploy/context';
import { installedBy } from '../../deploy/dockerkit';
import { appServerOf, SERVER_PACKAGE } from '../../deploy/shell';
import { pinFor } from '../../requirements/rulekit';
import type { ProjectRule } from '../types';

export const rule: ProjectRule = {
  id: 'DOCKER-SERVER-NOT-INSTALLED',
  name: 'docker-server-not-installed',
  family: 'project',
  summary: 'The image starts gunicorn/uvicorn/daphne but never installs it',
  defaultSeverity: 'error',
  djangoChecks: [],
  docs: `The container command runs an application server that none of the image's installs provides:
the requirements files its \`pip install -r\` reads (with their \`-r\` includes), packages named on the
pip command line, or the project installed with \`pip install .\`/poetry/pipenv/uv. The container then
exits at start with "executable file not found". Dockerfiles whose installs we cannot resolve
(\`-r $REQUIREMENTS\`) are not reported.

Before:
\`\`\`dockerfile
RUN pip install -r requirements.txt   # no gunicorn in it
CMD ["gunicorn", "shop.wsgi:application"]
\`\`\`
After (requirements.txt):
\`\`\`
gunicorn==23.0.0
\`\`\``,
  check(ctx) {
    const deps = models(ctx).deps;
    for (const d of prodDockerfiles(ctx)) {
      const installed = installedBy(ctx, d);
      if (!installed) continue;
      const seen = new Set<string>();
      for (const c of d.startCommands()) {
        const server = appServerOf(c.argv);
        if (!server || seen.has(server)) continue;
        seen.add(server);
        const pkg = SERVER_PACKAGE[server]!;
        const alternatives = pkg === 'uwsgi' ? ['uwsgi', 'pyuwsgi'] : pkg === 'uvicorn' ? ['uvicorn', 'uvicorn-worker'] : [pkg];
        if (alternatives.some((a) => installed.has(a))) continue;
        const edits = deps.addEdits(pkg, pinFor(pkg), alternatives);
        ctx.report({
          file: d.path,
          range: c.instr.getRange(),
          message: `${basename(d.path)} starts ${server}${c.script ? ` (in ${basename(c.script)})` : ''} but no requirements the image installs provide ${pkg}: the container exits at start`,
          fixes: () => edits.length ? [{ title: `Add ${pkg}${pinFor(pkg) ? `==${pinFor(pkg)}` : ''} to the requirements the image installs`, edits, safe: true }] : [],
        });
      }
    }
  },
};

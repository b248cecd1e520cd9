import { models, prodDockerfiles, requirementsAnchor } from '../../deploy/context';
import { appServerOf } from '../../deploy/shell';
import { pinFor } from '../../requirements/rulekit';
import type { ProjectRule } from '../types';

export const SERVERS = ['gunicorn', 'uvicorn', 'daphne', 'uwsgi', 'pyuwsgi', 'granian', 'hypercorn', 'waitress', 'mod-wsgi', 'uvicorn-worker'];

export const rule: ProjectRule = {
  id: 'REQ-MISSING-APP-SERVER',
  name: 'no-app-server',
  family: 'project',
  summary: 'Production requirements include no WSGI/ASGI server',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `Django's \`runserver\` is a development server; production needs gunicorn, uvicorn, daphne, uWSGI,
granian, hypercorn or waitress. None of them is in the requirements production installs (requirements
files and everything they include with \`-r\`, pyproject.toml \`[project].dependencies\`, Poetry's main
group, Pipfile \`[packages]\`). When a Dockerfile starts a server that is not installed,
DOCKER-SERVER-NOT-INSTALLED reports it instead.

Before:
\`\`\`
Django==5.2.9
\`\`\`
After:
\`\`\`
Django==5.2.9
gunicorn==23.0.0
\`\`\``,
  check(ctx) {
    const { deps } = models(ctx);
    if (!deps.readable || deps.inProduction(...SERVERS)) return;
    if (prodDockerfiles(ctx).some((d) => d.startCommands().some((c) => appServerOf(c.argv)))) return;
    const anchor = requirementsAnchor(ctx);
    const edits = deps.addEdits('gunicorn', pinFor('gunicorn'));
    ctx.report({
      ...anchor,
      message: 'No production server (gunicorn, uvicorn, daphne, uWSGI...) is in the production requirements: Django\'s runserver is not meant for production',
      // Which server is a choice (WSGI or ASGI), so the fix is offered, not applied by fix-all.
      fixes: () => edits.length ? [{ title: `Add gunicorn==${pinFor('gunicorn')} to the production requirements`, edits, safe: false }] : [],
    });
  },
};

import { basename } from 'node:path';
import { prodDockerfiles, reportDocker } from '../../deploy/context';
import { createUserRun, createsUser, insertLines, isAlpine } from '../../deploy/dockerkit';
import type { ProjectRule } from '../types';

export const rule: ProjectRule = {
  id: 'DOCKER-USER-ROOT',
  name: 'docker-user-root',
  family: 'project',
  summary: 'The last USER of the final stage is root',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `\`USER root\` (or \`0\`) as the last USER of the final stage makes the app run as root. Switching to
root for an install step is fine as long as a later USER switches back. Unlike hadolint's DL3002
(whose \`# hadolint ignore=DL3002\` is honoured), builder stages are not checked: they never run in
production.

Before:
\`\`\`dockerfile
USER root
CMD ["gunicorn", "shop.wsgi:application"]
\`\`\`
After:
\`\`\`dockerfile
USER app
CMD ["gunicorn", "shop.wsgi:application"]
\`\`\``,
  check(ctx) {
    for (const d of prodDockerfiles(ctx)) {
      const final = d.final;
      if (!final) continue;
      const users = d.inherited(final).filter((i) => i.getKeyword() === 'USER');
      const last = users[users.length - 1];
      if (!last) continue;
      const value = (last.getArgumentsContent() ?? '').trim();
      if (!/^(root|0)(:.*)?$/.test(value)) continue;
      const args = last.getArgumentsRange();
      const edits = args ? [{ file: d.path, range: args, newText: 'app' }] : [];
      if (!createsUser(d, final)) edits.push(insertLines(d, last.getRange().start.line, createUserRun(isAlpine(d, final))));
      reportDocker(ctx, d, 'DL3002', {
        file: d.path,
        range: last.getRange(),
        message: `The final stage of ${basename(d.path)} ends with USER ${value}: the app runs as root`,
        fixes: () => edits.length ? [{ title: 'Run as an unprivileged "app" user', edits, safe: false }] : [],
      });
    }
  },
};

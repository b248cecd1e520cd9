import { basename } from 'node:path';
import { composeTargets, longRunning, sev } from '../../deploy/composekit';
import type { ProjectRule } from '../types';

export const rule: ProjectRule = {
  id: 'COMPOSE-RESTART-MISSING',
  name: 'compose-restart-missing',
  family: 'project',
  summary: 'A long-running production service has no restart policy',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `Compose's default restart policy is \`no\`: a worker killed by the OOM killer or a crash stays down
until someone notices. Any \`restart:\` value or \`deploy.restart_policy\` is accepted. Not checked in
development compose files; a plain \`docker-compose.yml\` next to other compose files is reported as
information.

Before:
\`\`\`yaml
web:
  build: .
\`\`\`
After:
\`\`\`yaml
web:
  restart: unless-stopped
  build: .
\`\`\``,
  check(ctx) {
    for (const { file, service } of composeTargets(ctx)) {
      if (service.restart || service.hasRestartPolicy || !longRunning(service)) continue;
      const at = { line: service.nameRange.start.line + 1, character: 0 };
      ctx.report({
        file: file.path,
        range: service.nameRange,
        severity: sev(file, 'warning'),
        message: `Service "${service.name}" in ${basename(file.path)} has no restart policy: after a crash it stays down`,
        fixes: () => service.node.kind === 'map' && service.node.entries.length > 0 && service.node.range.start.line > service.nameRange.start.line ? [{ title: 'Add restart: unless-stopped', edits: [{ file: file.path, range: { start: at, end: at }, newText: `${' '.repeat(service.keyIndent)}restart: unless-stopped\n` }], safe: true }] : [],
      });
    }
  },
};

import { basename } from 'node:path';
import { composeTargets, envValueEdit, sev } from '../../deploy/composekit';
import { TRUTHY } from '../../deploy/envfile';
import type { ProjectRule } from '../types';

export const rule: ProjectRule = {
  id: 'COMPOSE-DEBUG-TRUE',
  name: 'compose-debug-true',
  family: 'project',
  summary: 'A production compose service sets DEBUG=True',
  defaultSeverity: 'error',
  djangoChecks: [],
  docs: `\`DEBUG: "True"\` (or \`DJANGO_DEBUG\`) in a service's \`environment\` turns on Django's debug pages for
every container of that service. \`docker-compose.override.yml\` and \`*dev*\`/\`*local*\` files are
development files and are not checked; a plain \`docker-compose.yml\` next to other compose files is
reported one severity lower.

Before:
\`\`\`yaml
environment:
  DJANGO_DEBUG: "True"
\`\`\`
After:
\`\`\`yaml
environment:
  DJANGO_DEBUG: "False"
\`\`\``,
  check(ctx) {
    for (const { file, service } of composeTargets(ctx)) {
      for (const v of service.environment) {
        if (!/^(DJANGO_)?DEBUG$/i.test(v.key) || !TRUTHY.test(v.value ?? '')) continue;
        const edit = envValueEdit(file, v, 'False');
        ctx.report({
          file: file.path,
          range: v.range,
          severity: sev(file, 'error'),
          message: `Service "${service.name}" in ${basename(file.path)} runs with ${v.key}=${v.value}: Django's debug pages are public`,
          fixes: () => edit ? [{ title: `Set ${v.key} to False`, edits: [edit], safe: true }] : [],
        });
      }
    }
  },
};

import { basename } from 'node:path';
import { TRUTHY } from '../../deploy/envfile';
import { productionEnvFiles } from '../../deploy/envkit';
import type { ProjectRule } from '../types';

export const rule: ProjectRule = {
  id: 'ENV-DEBUG-TRUE-PROD',
  name: 'env-debug-true',
  family: 'project',
  summary: 'A production env file turns DEBUG on',
  defaultSeverity: 'error',
  djangoChecks: [],
  docs: `An env file production reads — named \`*prod*\`, or the \`env_file\` of a production compose file
(the plain \`docker-compose.yml\`'s env file is reported as a warning) — sets \`DEBUG\`/\`DJANGO_DEBUG\` to
a true value, so the settings' environment lookup turns debug pages on in production.

Before (.env.production):
\`\`\`
DJANGO_DEBUG=True
\`\`\`
After:
\`\`\`
DJANGO_DEBUG=False
\`\`\``,
  check(ctx) {
    for (const { env, severity } of productionEnvFiles(ctx)) {
      for (const e of env.entries) {
        if (!/^(DJANGO_)?DEBUG$/i.test(e.key) || !TRUTHY.test(e.value)) continue;
        ctx.report({
          file: env.path,
          range: e.valueRange,
          severity,
          message: `${e.key}=${e.value} in ${basename(env.path)}, which production reads: Django's debug pages are public`,
          fixes: () => [{ title: `Set ${e.key}=False`, edits: [{ file: env.path, range: e.valueRange, newText: 'False' }], safe: true }],
        });
      }
    }
  },
};

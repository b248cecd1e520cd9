import { basename } from 'node:path';
import { composeTargets, envValueEdit, sev } from '../../deploy/composekit';
import { imageBase } from '../../deploy/compose';
import { TRUTHY } from '../../deploy/envfile';
import type { ProjectRule } from '../types';

export const WEAK = /^(postgres|password|root|admin|secret|changeme|example|123456|mysql|pass)?$/i;

export const rule: ProjectRule = {
  id: 'COMPOSE-WEAK-DB-PASSWORD',
  name: 'compose-weak-db-password',
  family: 'project',
  summary: 'A database service has a default, empty or trust-based password',
  defaultSeverity: 'error',
  djangoChecks: [],
  docs: `\`POSTGRES_PASSWORD: postgres\`, an empty MySQL root password, \`POSTGRES_HOST_AUTH_METHOD=trust\` or
\`MYSQL_ALLOW_EMPTY_PASSWORD=yes\` leave the database open to anyone who reaches its port — and these
are the first values attackers try.

Before:
\`\`\`yaml
db:
  image: postgres:16
  environment:
    POSTGRES_PASSWORD: postgres
\`\`\`
After:
\`\`\`yaml
db:
  image: postgres:16
  environment:
    POSTGRES_PASSWORD: "\${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}"
\`\`\``,
  check(ctx) {
    for (const { file, service } of composeTargets(ctx)) {
      const base = imageBase(service.image) ?? '';
      if (!['postgres', 'postgis', 'mysql', 'mariadb'].includes(base)) continue;
      for (const v of service.environment) {
        const weak =
          (/^(POSTGRES|MYSQL|MARIADB)_(ROOT_)?PASSWORD$/.test(v.key) && v.value !== undefined && WEAK.test(v.value)) ||
          (v.key === 'POSTGRES_HOST_AUTH_METHOD' && v.value === 'trust') ||
          (/^(MYSQL|MARIADB)_ALLOW_EMPTY(_ROOT)?_PASSWORD$/.test(v.key) && TRUTHY.test(v.value ?? ''));
        if (!weak) continue;
        const isPassword = /PASSWORD$/.test(v.key) && !/ALLOW_EMPTY/.test(v.key);
        const edit = isPassword ? envValueEdit(file, v, `\${${v.key}:?set ${v.key} in .env}`) : undefined;
        ctx.report({
          file: file.path,
          range: v.range,
          severity: sev(file, 'error'),
          message: `Database service "${service.name}" in ${basename(file.path)} has ${v.key}=${v.value || '(empty)'}: anyone who reaches it can log in`,
          fixes: () => edit ? [{ title: `Read ${v.key} from the environment (.env)`, edits: [edit], safe: false }] : [],
        });
      }
    }
  },
};

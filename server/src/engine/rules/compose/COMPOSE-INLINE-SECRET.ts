import { basename } from 'node:path';
import { composeTargets, envValueEdit, sev } from '../../deploy/composekit';
import { hasUrlCredentials, isPlaceholder, isSecretKey } from '../../deploy/envfile';
import type { ProjectRule } from '../types';

export const rule: ProjectRule = {
  id: 'COMPOSE-INLINE-SECRET',
  name: 'compose-inline-secret',
  family: 'project',
  summary: 'A secret is written inline in a compose file',
  defaultSeverity: 'error',
  djangoChecks: [],
  docs: `Compose files are committed. A literal \`SECRET_KEY\`, password, token, DSN or a database URL with a
password in \`environment:\` is readable by everyone with the repository. Interpolate it from the
environment or an untracked \`.env\` instead: \`\${VAR}\`, \`\${VAR:-default}\` and \`\${VAR:?message}\` are
fine, and so are placeholders (\`changeme\`, \`<...>\`). Weak database passwords are
COMPOSE-WEAK-DB-PASSWORD.

Before:
\`\`\`yaml
environment:
  DJANGO_SECRET_KEY: "k3j4h5...real"
\`\`\`
After:
\`\`\`yaml
environment:
  DJANGO_SECRET_KEY: "\${DJANGO_SECRET_KEY:?set DJANGO_SECRET_KEY in .env}"
\`\`\``,
  check(ctx) {
    for (const { file, service } of composeTargets(ctx)) {
      for (const v of service.environment) {
        if (v.value === undefined) continue;
        const url = /_URL$/i.test(v.key) && hasUrlCredentials(v.value);
        if (!url && (!isSecretKey(v.key) || isPlaceholder(v.value))) continue;
        if (/^(POSTGRES|MYSQL|MARIADB)_(ROOT_)?PASSWORD$/.test(v.key) && /^(postgres|password|root|admin|secret|changeme|example|123456)?$/i.test(v.value)) continue;
        const edit = envValueEdit(file, v, `\${${v.key}:?set ${v.key} in .env}`);
        ctx.report({
          file: file.path,
          range: v.range,
          severity: sev(file, 'error'),
          message: `${v.key} of service "${service.name}" is written into ${basename(file.path)}: anyone with the repository can read it`,
          fixes: () => edit ? [{ title: `Read ${v.key} from the environment (.env)`, edits: [edit], safe: false }] : [],
        });
      }
    }
  },
};

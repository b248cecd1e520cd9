import { prefilters } from '../../textMemo';
import { dictGetStr, pyRepr, type Value } from '../../settings/value';
import { credentialSeverity, settingsFiles } from '../settingsFiles';
import type { ProjectRule } from '../types';
import { findToken, isPlaceholder } from './patterns';

export const rule: ProjectRule = {
  id: 'DJ-SEC-011',
  name: 'database-password',
  family: 'project',
  summary: 'A DATABASES password is written in the source, empty, or the user is a superuser',
  defaultSeverity: 'error',
  djangoChecks: [],
  docs: `The database password is the key to every row. Written in \`DATABASES\` (or as the default of an
environment read) it is in the repository; an empty password on a server database means none is
needed; and connecting as \`postgres\` or \`root\` gives the web process rights it should not have.

Before:
\`\`\`python
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "shop", "PASSWORD": "s3cret"}}
\`\`\`
After:
\`\`\`python
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "shop", "PASSWORD": os.environ["DB_PASSWORD"]}}
\`\`\``,
  check(ctx) {
    for (const file of settingsFiles(ctx)) {
      // Only a PASSWORD or USER written in the file itself is reported, in its DATABASES.
      if (prefilters.enabled && !ctx.mentions(file.module.path, /PASSWORD|USER|DATABASES/)) continue;
      const dbs = file.profile.setting('DATABASES').value;
      if (dbs.kind !== 'dict') continue;
      for (const entry of dbs.entries) {
        if (entry.key.kind !== 'str') continue;
        const alias = entry.key.value;
        const engine = dictGetStr(entry.value, 'ENGINE');
        const sqlite = engine?.kind === 'str' && engine.value.includes('sqlite');
        const password = dictGetStr(entry.value, 'PASSWORD');
        const own = (v: Value | undefined) => !!v?.src && v.src.file === file.module.path;
        if (password && own(password) && password.kind === 'str' && !sqlite) {
          const at = password.env?.fallback ?? password.src!;
          const read = file.edit.envRequired(alias === 'default' ? 'DB_PASSWORD' : `DB_${alias.toUpperCase()}_PASSWORD`);
          const fix = { title: 'Read the database password from the environment (required)', edits: [{ ...password.src!, newText: read.text }, ...file.edit.importEdits(read.imports, at.file)], safe: true };
          if (password.value === '' && !password.env) {
            ctx.report({ file: at.file, range: at.range, severity: credentialSeverity(file.role, 'warning'), message: `DATABASES["${alias}"] has an empty PASSWORD: the server must accept connections without one`, fixes: () => [fix] });
          } else if (password.value !== '' && !findToken(password.value)) {
            const placeholder = isPlaceholder(password.value);
            ctx.report({
              file: at.file,
              range: at.range,
              severity: placeholder ? 'hint' : credentialSeverity(file.role, password.env ? 'warning' : 'error'),
              message: password.env
                ? `DATABASES["${alias}"] PASSWORD falls back to ${pyRepr(password)} when ${password.env.names.join(', ')} is unset`
                : `DATABASES["${alias}"] PASSWORD is written in the source`,
              fixes: () => password.env ? [] : [fix],
            });
          }
        }
        const user = dictGetStr(entry.value, 'USER');
        if (user && own(user) && user.kind === 'str' && !user.env && (user.value === 'postgres' || user.value === 'root') && file.role === 'production') {
          ctx.report({ file: user.src!.file, range: user.src!.range, severity: 'hint', message: `DATABASES["${alias}"] connects as ${user.value}, a superuser: give the web process its own role with only the rights it needs` });
        }
      }
    }
  },
};

import { deleteStatementEdits, statementAt } from '../../fixes/literalEdit';
import { pyRepr, truthy } from '../../settings/value';
import type { Fix } from '../../types';
import { corsSetting, corsUsed } from '../apiSettings';
import { whenUnset } from '../helpers';
import type { SettingsRule } from '../types';

export const rule: SettingsRule = {
  id: 'DJ-SEC-040',
  name: 'cors-allow-all-origins',
  family: 'settings',
  summary: 'CORS_ALLOW_ALL_ORIGINS lets every website read API responses',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `With \`CORS_ALLOW_ALL_ORIGINS = True\` (legacy name \`CORS_ORIGIN_ALLOW_ALL\`) django-cors-headers tells
browsers that any website may read the API's responses. Together with \`CORS_ALLOW_CREDENTIALS = True\`
it reflects the caller's origin and allows cookies, so any page a logged-in user visits can act as
that user and read the answers (error). List the frontends that need access instead.

Before:
\`\`\`python
CORS_ALLOW_ALL_ORIGINS = True
\`\`\`
After:
\`\`\`python
CORS_ALLOWED_ORIGINS = [h.strip() for h in os.environ.get("DJANGO_CORS_ALLOWED_ORIGINS", "").split(",") if h.strip()]
\`\`\``,
  check(ctx) {
    if (!corsUsed(ctx)) return;
    const s = corsSetting(ctx, 'CORS_ALLOW_ALL_ORIGINS', 'CORS_ORIGIN_ALLOW_ALL');
    if (s.isDefault || truthy(s.value) !== true) return;
    const credentials = truthy(ctx.setting('CORS_ALLOW_CREDENTIALS').value) === true;
    const origins = corsSetting(ctx, 'CORS_ALLOWED_ORIGINS', 'CORS_ORIGIN_WHITELIST');
    const hasOrigins = !origins.isDefault;
    const envList = ctx.edit.envList(ctx.edit.envName('CORS_ALLOWED_ORIGINS'));
    const originsLine = `CORS_ALLOWED_ORIGINS = ${envList.text}`;
    const fixes: Fix[] = [];
    const names = s.value.env?.names;
    const stmt = s.binding?.stmt;
    const title = 'Allow only the origins listed in CORS_ALLOWED_ORIGINS';
    if (names?.length === 1) {
      // Keep the variable, make "unset" mean "off".
      const env = ctx.edit.envBool(names[0]!, false);
      fixes.push(...ctx.edit.setValue(s, env.text, `Allow all origins only when ${names[0]} is set`, env.imports));
    } else if (stmt && stmt.file === ctx.profile.module.path && !s.binding?.imported && s.binding?.rhs) {
      const root = ctx.edit.rootOf(stmt.file);
      const node = root ? statementAt(root, stmt) : undefined;
      if (root && node) {
        const edits = hasOrigins
          ? deleteStatementEdits(stmt.file, root, stmt)
          : [{ file: stmt.file, range: stmt.range, newText: originsLine }, ...ctx.edit.importEdits(envList.imports)];
        if (edits.length) fixes.push({ title, edits, safe: true });
      }
    } else {
      const lines = [`${s.name} = False`, ...(hasOrigins ? [] : [originsLine])];
      fixes.push({ title, edits: ctx.edit.insertLines(lines, hasOrigins ? [] : envList.imports), safe: true });
    }
    ctx.report({
      setting: s,
      severity: credentials ? 'error' : 'warning',
      message: credentials
        ? `${s.name} is ${pyRepr(s.value)}${whenUnset(s.value)} with CORS_ALLOW_CREDENTIALS: any website a logged-in user visits can call the API as that user and read the responses`
        : `${s.name} is ${pyRepr(s.value)}${whenUnset(s.value)}: any website can read the API's responses from its visitors' browsers`,
      fixes,
    });
  },
};

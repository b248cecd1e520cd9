import { pyRepr, truthy } from '../../settings/value';
import { pyStr } from '../apiSettings';
import { whenUnset } from '../helpers';
import type { SettingsRule } from '../types';

const COOKIES = [
  { samesite: 'SESSION_COOKIE_SAMESITE', secure: 'SESSION_COOKIE_SECURE', cookie: 'session cookie' },
  { samesite: 'CSRF_COOKIE_SAMESITE', secure: 'CSRF_COOKIE_SECURE', cookie: 'CSRF cookie' },
];

export const rule: SettingsRule = {
  id: 'DJ-SEC-036',
  name: 'cookie-samesite',
  family: 'settings',
  summary: 'SESSION_COOKIE_SAMESITE or CSRF_COOKIE_SAMESITE is "None" without Secure, disabled, or invalid',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `\`SameSite=Lax\` (Django's default) keeps browsers from sending the session and CSRF cookies with
cross-site POSTs, a second wall behind CSRF tokens. \`"None"\` sends them everywhere, and browsers
reject a \`SameSite=None\` cookie that is not also \`Secure\`, so logins silently stop working. \`False\`
(or \`None\`) omits the attribute and leaves the choice to each browser. Any other string makes Django
raise \`ValueError\` when it sets the cookie.

Before:
\`\`\`python
SESSION_COOKIE_SAMESITE = "None"
\`\`\`
After:
\`\`\`python
SESSION_COOKIE_SAMESITE = "Lax"
\`\`\``,
  check(ctx) {
    for (const c of COOKIES) {
      const s = ctx.setting(c.samesite);
      if (s.isDefault) continue;
      if (c.samesite === 'CSRF_COOKIE_SAMESITE' && truthy(ctx.setting('CSRF_USE_SESSIONS').value) !== false) continue;
      const v = s.value;
      const fixes = () => ctx.edit.setValue(s, pyStr(ctx, 'Lax'), `Set ${c.samesite} to "Lax"`);
      if (v.kind === 'str') {
        const lower = v.value.toLowerCase();
        if (lower === 'none') {
          const secure = ctx.setting(c.secure);
          if (truthy(secure.value) !== false) continue;
          ctx.report({
            setting: s,
            message: `${c.samesite} is "None"${whenUnset(v)} while ${c.secure} is off${whenUnset(secure.value)}: browsers reject a SameSite=None cookie that is not Secure, so the ${c.cookie} is dropped`,
            fixes: () => fixes(),
          });
        } else if (lower !== 'lax' && lower !== 'strict') {
          ctx.report({
            setting: s,
            severity: 'error',
            message: `${c.samesite} is ${pyRepr(v)}${whenUnset(v)}: Django raises ValueError when it sets the ${c.cookie} (use "Lax", "Strict" or "None")`,
            fixes: () => fixes(),
          });
        }
      } else if ((v.kind === 'bool' && !v.value) || v.kind === 'none') {
        ctx.report({
          setting: s,
          message: `${c.samesite} is ${pyRepr(v)}${whenUnset(v)}: the ${c.cookie} has no SameSite attribute, so browsers that default to None send it with cross-site requests`,
          fixes: () => fixes(),
        });
      }
    }
  },
};

import { LiteralEditor } from '../../fixes/literalEdit';
import { truthy } from '../../settings/value';
import { whenUnset } from '../helpers';
import type { SettingsRule } from '../types';

const DAY = 24 * 3600;
const TWO_WEEKS = 14 * DAY;
const WEEK_TEXT = '60 * 60 * 24 * 7';

export const rule: SettingsRule = {
  id: 'DJ-SEC-048',
  name: 'session-lifetime',
  family: 'settings',
  summary: 'Sessions last longer than two weeks, or live in signed cookies',
  defaultSeverity: 'information',
  djangoChecks: [],
  docs: `A session cookie is a bearer credential: whoever copies it (a shared computer, malware, a leaked log)
is logged in until it expires. Django keeps sessions two weeks; longer lifetimes are a hint, and over
30 days without \`SESSION_EXPIRE_AT_BROWSER_CLOSE\` information. With the \`signed_cookies\` engine the
session data lives in the browser: readable by the user, impossible to revoke server-side (logging out
elsewhere does not end it), and forgeable by anyone who has \`SECRET_KEY\` (hint, no automatic fix:
changing the engine needs the sessions table).

Before:
\`\`\`python
SESSION_COOKIE_AGE = 60 * 60 * 24 * 90
\`\`\`
After:
\`\`\`python
SESSION_COOKIE_AGE = 60 * 60 * 24 * 7
\`\`\``,
  check(ctx) {
    const age = ctx.setting('SESSION_COOKIE_AGE');
    if (!age.isDefault && age.value.kind === 'int' && age.value.value > TWO_WEEKS) {
      const days = Math.round(age.value.value / DAY);
      const closes = truthy(ctx.setting('SESSION_EXPIRE_AT_BROWSER_CLOSE').value) === true;
      const long = age.value.value > 30 * DAY && !closes;
      const title = 'Expire sessions after 7 days';
      const fixes = age.value.env ? new LiteralEditor(ctx.edit).replaceFallback(age.value, WEEK_TEXT, title, String(7 * DAY)) : ctx.edit.setValue(age, WEEK_TEXT, title);
      ctx.report({
        setting: age,
        severity: long ? 'information' : 'hint',
        message: `SESSION_COOKIE_AGE is ${days} days${whenUnset(age.value)}${long ? ' and sessions survive closing the browser' : ''}: a copied session cookie stays valid that long`,
        fixes,
      });
    }
    const engine = ctx.setting('SESSION_ENGINE');
    if (!engine.isDefault && engine.value.kind === 'str' && engine.value.value === 'django.contrib.sessions.backends.signed_cookies') {
      ctx.report({
        setting: engine,
        severity: 'hint',
        message: 'SESSION_ENGINE is signed_cookies: session data is readable in the browser, cannot be revoked on the server, and can be forged with SECRET_KEY',
      });
    }
  },
};

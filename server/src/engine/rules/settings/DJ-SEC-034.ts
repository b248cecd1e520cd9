import { pyRepr, truthy } from '../../settings/value';
import { CSRF_MIDDLEWARE, describeSetting, hasMiddleware } from '../helpers';
import type { SettingsRule } from '../types';

export const rule: SettingsRule = {
  id: 'DJ-SEC-034',
  name: 'csrf-cookie-not-secure',
  family: 'settings',
  summary: 'CSRF_COOKIE_SECURE is not on',
  defaultSeverity: 'warning',
  djangoChecks: ['security.W016'],
  docs: `When the CSRF token lives in a cookie (the default, unless \`CSRF_USE_SESSIONS\`), that cookie should
only travel over HTTPS; otherwise a network attacker can read it and forge requests.

Before:
\`\`\`python
CSRF_COOKIE_SECURE = False
\`\`\`
After:
\`\`\`python
CSRF_COOKIE_SECURE = True
\`\`\``,
  check(ctx) {
    if (hasMiddleware(ctx, CSRF_MIDDLEWARE) !== true) return;
    const useSessions = truthy(ctx.setting('CSRF_USE_SESSIONS').value);
    if (useSessions !== false) return;
    const s = ctx.setting('CSRF_COOKIE_SECURE');
    if (truthy(s.value) !== false) return;
    ctx.report({
      setting: s,
      message: `${describeSetting(s, pyRepr(s.value))}: the CSRF cookie is also sent over plain HTTP`,
      djangoChecks: ['security.W016'],
      fixes: () => ctx.edit.setValue(s, 'True', 'Send the CSRF cookie over HTTPS only'),
    });
  },
};

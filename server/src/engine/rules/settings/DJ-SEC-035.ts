import { pyRepr, truthy } from '../../settings/value';
import { SESSIONS_APP, SESSION_MIDDLEWARE, hasApp, hasMiddleware, whenUnset } from '../helpers';
import type { SettingsRule } from '../types';

export const rule: SettingsRule = {
  id: 'DJ-SEC-035',
  name: 'session-cookie-not-httponly',
  family: 'settings',
  summary: 'SESSION_COOKIE_HTTPONLY is switched off',
  defaultSeverity: 'warning',
  djangoChecks: ['security.W013', 'security.W014', 'security.W015'],
  docs: `\`SESSION_COOKIE_HTTPONLY\` (on by default) hides the session cookie from JavaScript, so a single XSS
bug cannot read it and hijack the session. Turning it off is almost never needed.

Before:
\`\`\`python
SESSION_COOKIE_HTTPONLY = False
\`\`\`
After: delete the line (or set it to \`True\`).`,
  check(ctx) {
    const s = ctx.setting('SESSION_COOKIE_HTTPONLY');
    if (truthy(s.value) !== false) return;
    const app = hasApp(ctx, SESSIONS_APP);
    const mw = hasMiddleware(ctx, SESSION_MIDDLEWARE);
    if (app === undefined || mw === undefined) return;
    const ids = app && mw ? ['security.W015'] : app ? ['security.W013'] : mw ? ['security.W014'] : [];
    if (ids.length === 0) return;
    ctx.report({
      setting: s,
      message: `SESSION_COOKIE_HTTPONLY is ${pyRepr(s.value)}${whenUnset(s.value)}: scripts on the page (and any XSS) can read the session cookie`,
      djangoChecks: ids,
      fixes: () => ctx.edit.setValue(s, 'True', 'Hide the session cookie from JavaScript'),
    });
  },
};

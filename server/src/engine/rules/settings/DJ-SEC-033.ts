import { pyRepr, truthy } from '../../settings/value';
import { SESSIONS_APP, SESSION_MIDDLEWARE, describeSetting, hasApp, hasMiddleware } from '../helpers';
import type { SettingsRule } from '../types';

export const rule: SettingsRule = {
  id: 'DJ-SEC-033',
  name: 'session-cookie-not-secure',
  family: 'settings',
  summary: 'SESSION_COOKIE_SECURE is not on',
  defaultSeverity: 'warning',
  djangoChecks: ['security.W010', 'security.W011', 'security.W012'],
  docs: `Without \`SESSION_COOKIE_SECURE\`, the browser also sends the session cookie over plain HTTP, where
anyone on the network can copy it and take over the session. Django reports W010 (sessions app),
W011 (session middleware) or W012 (both); this rule mirrors whichever applies.

Before:
\`\`\`python
SESSION_COOKIE_SECURE = False
\`\`\`
After:
\`\`\`python
SESSION_COOKIE_SECURE = True
\`\`\``,
  check(ctx) {
    const s = ctx.setting('SESSION_COOKIE_SECURE');
    if (truthy(s.value) !== false) return;
    const app = hasApp(ctx, SESSIONS_APP);
    const mw = hasMiddleware(ctx, SESSION_MIDDLEWARE);
    if (app === undefined || mw === undefined) return;
    const ids = app && mw ? ['security.W012'] : app ? ['security.W010'] : mw ? ['security.W011'] : [];
    if (ids.length === 0) return;
    ctx.report({
      setting: s,
      message: `${describeSetting(s, pyRepr(s.value))}: the session cookie is also sent over plain HTTP, where it can be stolen`,
      djangoChecks: ids,
      fixes: () => ctx.edit.setValue(s, 'True', 'Send the session cookie over HTTPS only'),
    });
  },
};

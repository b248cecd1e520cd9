import { SECURITY_MIDDLEWARE, hasMiddleware } from '../helpers';
import { middlewareInsertFix } from '../middlewareFix';
import type { SettingsRule } from '../types';

export const rule: SettingsRule = {
  id: 'DJ-SEC-016',
  name: 'security-middleware-missing',
  family: 'settings',
  summary: 'SecurityMiddleware is not in MIDDLEWARE',
  defaultSeverity: 'warning',
  djangoChecks: ['security.W001'],
  docs: `\`django.middleware.security.SecurityMiddleware\` is what turns \`SECURE_SSL_REDIRECT\`,
\`SECURE_HSTS_SECONDS\`, \`SECURE_CONTENT_TYPE_NOSNIFF\`, \`SECURE_REFERRER_POLICY\` and
\`SECURE_CROSS_ORIGIN_OPENER_POLICY\` into redirects and headers. Without it those settings do nothing.
MIDDLEWARE is followed through star imports, \`+=\`, \`insert\`, \`append\` and \`remove\`; when it cannot be
fully known the rule stays quiet.

Before:
\`\`\`python
MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware", ...]
\`\`\`
After:
\`\`\`python
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "django.contrib.sessions.middleware.SessionMiddleware", ...]
\`\`\``,
  check(ctx) {
    if (hasMiddleware(ctx, SECURITY_MIDDLEWARE) !== false) return;
    const mw = ctx.setting('MIDDLEWARE');
    ctx.report({
      setting: mw,
      message: 'SecurityMiddleware is not in MIDDLEWARE: the SECURE_* settings (HTTPS redirect, HSTS, nosniff, referrer policy) have no effect',
      djangoChecks: ['security.W001'],
      fixes: () => middlewareInsertFix(ctx, SECURITY_MIDDLEWARE, 'first'),
    });
  },
};

import { CSRF_MIDDLEWARE, SESSION_MIDDLEWARE, hasMiddleware } from '../helpers';
import { middlewareInsertFix } from '../middlewareFix';
import type { SettingsRule } from '../types';

export const rule: SettingsRule = {
  id: 'DJ-SEC-037',
  name: 'csrf-middleware-missing',
  family: 'settings',
  summary: 'CsrfViewMiddleware is not in MIDDLEWARE',
  defaultSeverity: 'warning',
  djangoChecks: ['security.W003'],
  docs: `\`django.middleware.csrf.CsrfViewMiddleware\` rejects cross-site POST requests that carry the
user's cookies. Without it every form and cookie-authenticated endpoint can be submitted from another
site, unless each view protects itself with \`@csrf_protect\`.

Before:
\`\`\`python
MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware", "django.middleware.common.CommonMiddleware"]
\`\`\`
After:
\`\`\`python
MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware", "django.middleware.csrf.CsrfViewMiddleware",
              "django.middleware.common.CommonMiddleware"]
\`\`\``,
  check(ctx) {
    if (hasMiddleware(ctx, CSRF_MIDDLEWARE) !== false) return;
    ctx.report({
      setting: ctx.setting('MIDDLEWARE'),
      message: 'CsrfViewMiddleware is not in MIDDLEWARE: forms and cookie-authenticated endpoints accept cross-site requests',
      djangoChecks: ['security.W003'],
      fixes: () => middlewareInsertFix(ctx, CSRF_MIDDLEWARE, { after: [SESSION_MIDDLEWARE, 'django.middleware.common.CommonMiddleware'] }),
    });
  },
};

import { XFRAME_MIDDLEWARE, hasMiddleware } from '../helpers';
import { middlewareInsertFix } from '../middlewareFix';
import type { SettingsRule } from '../types';

export const rule: SettingsRule = {
  id: 'DJ-SEC-027',
  name: 'clickjacking-middleware-missing',
  family: 'settings',
  summary: 'XFrameOptionsMiddleware is not in MIDDLEWARE',
  defaultSeverity: 'warning',
  djangoChecks: ['security.W002'],
  docs: `Without \`django.middleware.clickjacking.XFrameOptionsMiddleware\` responses carry no
\`X-Frame-Options\` header, so any site can frame yours and trick users into clicking through it
(clickjacking).

Before:
\`\`\`python
MIDDLEWARE = [..., "django.contrib.messages.middleware.MessageMiddleware"]
\`\`\`
After:
\`\`\`python
MIDDLEWARE = [..., "django.contrib.messages.middleware.MessageMiddleware",
              "django.middleware.clickjacking.XFrameOptionsMiddleware"]
\`\`\``,
  check(ctx) {
    if (hasMiddleware(ctx, XFRAME_MIDDLEWARE) !== false) return;
    ctx.report({
      setting: ctx.setting('MIDDLEWARE'),
      message: 'XFrameOptionsMiddleware is not in MIDDLEWARE: pages can be framed by other sites (clickjacking)',
      djangoChecks: ['security.W002'],
      fixes: () => middlewareInsertFix(ctx, XFRAME_MIDDLEWARE, 'last'),
    });
  },
};

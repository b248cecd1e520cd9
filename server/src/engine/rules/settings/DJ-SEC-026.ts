import { pyRepr } from '../../settings/value';
import { SECURITY_MIDDLEWARE, describeSetting, hasMiddleware } from '../helpers';
import type { SettingsRule } from '../types';

export const rule: SettingsRule = {
  id: 'DJ-SEC-026',
  name: 'nosniff-off',
  family: 'settings',
  summary: 'SECURE_CONTENT_TYPE_NOSNIFF is not True',
  defaultSeverity: 'warning',
  djangoChecks: ['security.W006'],
  docs: `\`X-Content-Type-Options: nosniff\` stops browsers from guessing a response's type, which otherwise
lets an uploaded file that looks like HTML or JavaScript run in your origin. Django sends it by default
since 3.0; the rule fires when it is switched off (or on Django before 3.0 when it is not switched on).

Before:
\`\`\`python
SECURE_CONTENT_TYPE_NOSNIFF = False
\`\`\`
After:
\`\`\`python
SECURE_CONTENT_TYPE_NOSNIFF = True
\`\`\``,
  check(ctx) {
    if (hasMiddleware(ctx, SECURITY_MIDDLEWARE) !== true) return;
    const s = ctx.setting('SECURE_CONTENT_TYPE_NOSNIFF');
    if (s.value.kind === 'unknown' || (s.value.kind === 'bool' && s.value.value)) return;
    ctx.report({
      setting: s,
      message: `${describeSetting(s, pyRepr(s.value))}: browsers may run uploaded files as scripts (no X-Content-Type-Options: nosniff)`,
      djangoChecks: ['security.W006'],
      fixes: () => ctx.edit.setValue(s, 'True', 'Send X-Content-Type-Options: nosniff'),
    });
  },
};

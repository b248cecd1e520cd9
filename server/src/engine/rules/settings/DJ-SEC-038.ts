import { atLeast } from '../../project/djangoVersion';
import { isSequence } from '../../settings/value';
import type { SettingsRule } from '../types';

const LOCAL = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\]|0\.0\.0\.0)(:\d+)?$/;

export const rule: SettingsRule = {
  id: 'DJ-SEC-038',
  name: 'csrf-trusted-origins',
  family: 'settings',
  summary: 'CSRF_TRUSTED_ORIGINS entry without a scheme, a wildcard, or plain HTTP',
  defaultSeverity: 'error',
  djangoChecks: ['4_0.E001'],
  docs: `Since Django 4.0 each \`CSRF_TRUSTED_ORIGINS\` entry must include its scheme
(\`https://example.com\`); entries without one never match and Django refuses them (4_0.E001). A
wildcard trusts every origin (or every subdomain, including ones an attacker may control), and a plain
\`http://\` origin lets a network attacker submit forms as your users.

Before:
\`\`\`python
CSRF_TRUSTED_ORIGINS = ["example.com"]
\`\`\`
After:
\`\`\`python
CSRF_TRUSTED_ORIGINS = ["https://example.com"]
\`\`\``,
  check(ctx) {
    const s = ctx.setting('CSRF_TRUSTED_ORIGINS');
    const v = s.value;
    if (!isSequence(v)) return;
    for (const item of v.items) {
      if (item.kind !== 'str') continue;
      const origin = item.value;
      const at = item.src ?? s.binding?.rhs;
      const literalEdit = item.src && !item.env ? item.src : undefined;
      if (!origin.includes('://')) {
        if (!atLeast(ctx.profile.version, 4, 0)) continue;
        ctx.report({
          setting: s,
          at,
          message: `CSRF_TRUSTED_ORIGINS entry ${JSON.stringify(origin)} has no scheme: since Django 4.0 it must be like "https://${origin.replace(/^\*?\.?/, '')}"`,
          djangoChecks: ['4_0.E001'],
          fixes: () => literalEdit ? [{ title: `Use "https://${origin}"`, edits: [{ ...literalEdit, newText: JSON.stringify(`https://${origin}`) }], safe: true }] : [],
        });
      } else if (/^(https?:\/\/)?\*$/.test(origin) || origin === '*') {
        ctx.report({ setting: s, at, severity: 'warning', message: `CSRF_TRUSTED_ORIGINS entry ${JSON.stringify(origin)} trusts every origin: CSRF protection is off for cross-site requests` });
      } else if (origin.startsWith('http://') && !LOCAL.test(origin) && ctx.profile.module.role === 'production') {
        ctx.report({ setting: s, at, severity: 'information', message: `CSRF_TRUSTED_ORIGINS trusts ${JSON.stringify(origin)} over plain HTTP: a network attacker can post as your users from it` });
      }
    }
  },
};

import { pyRepr, truthy } from '../../settings/value';
import { SECURITY_MIDDLEWARE, describeSetting, hasMiddleware } from '../helpers';
import { RAMP_UP_COMMENT } from '../../fixes/settingsEditor';
import type { SettingsRule } from '../types';

export const rule: SettingsRule = {
  id: 'DJ-SEC-022',
  name: 'hsts-off',
  family: 'settings',
  summary: 'SECURE_HSTS_SECONDS is not set',
  defaultSeverity: 'warning',
  djangoChecks: ['security.W004'],
  docs: `HTTP Strict Transport Security tells browsers to use HTTPS only, which closes the window an attacker
has on the first plain-HTTP request. Start with a short max-age: browsers remember it, so a site that
stops serving HTTPS becomes unreachable for that long.

Before:
\`\`\`python
# SECURE_HSTS_SECONDS not set
\`\`\`
After:
\`\`\`python
SECURE_HSTS_SECONDS = 3600  # raise to 31536000 once every host is served over HTTPS
\`\`\``,
  check(ctx) {
    if (hasMiddleware(ctx, SECURITY_MIDDLEWARE) !== true) return;
    const s = ctx.setting('SECURE_HSTS_SECONDS');
    if (truthy(s.value) !== false) return;
    ctx.report({
      setting: s,
      message: `${describeSetting(s, pyRepr(s.value))}: browsers are not told to insist on HTTPS (HSTS)`,
      djangoChecks: ['security.W004'],
      fixes: () => [
        ...ctx.edit.setValue(s, '3600', 'Enable HSTS for an hour (ramp-up)', [], RAMP_UP_COMMENT),
        ...ctx.edit.setValue(s, '31536000', 'Enable HSTS for a year').map((f) => ({ ...f, safe: false })),
      ],
    });
  },
};

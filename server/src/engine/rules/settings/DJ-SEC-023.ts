import { pyRepr, truthy } from '../../settings/value';
import { SECURITY_MIDDLEWARE, describeSetting, hasMiddleware } from '../helpers';
import type { SettingsRule } from '../types';

export const rule: SettingsRule = {
  id: 'DJ-SEC-023',
  name: 'hsts-subdomains-off',
  family: 'settings',
  summary: 'HSTS is on but does not cover subdomains',
  defaultSeverity: 'information',
  djangoChecks: ['security.W005'],
  docs: `Without \`includeSubDomains\`, an attacker on the network can still serve a plain-HTTP subdomain and
set cookies for the parent domain. Enable it once every subdomain serves HTTPS.

Before:
\`\`\`python
SECURE_HSTS_SECONDS = 31536000
\`\`\`
After:
\`\`\`python
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
\`\`\``,
  check(ctx) {
    if (hasMiddleware(ctx, SECURITY_MIDDLEWARE) !== true) return;
    if (truthy(ctx.setting('SECURE_HSTS_SECONDS').value) !== true) return;
    const s = ctx.setting('SECURE_HSTS_INCLUDE_SUBDOMAINS');
    if (s.value.kind === 'unknown' || (s.value.kind === 'bool' && s.value.value)) return;
    ctx.report({
      setting: s,
      message: `${describeSetting(s, pyRepr(s.value))}: HSTS does not protect subdomains`,
      djangoChecks: ['security.W005'],
      fixes: () => ctx.edit.setValue(s, 'True', 'Include subdomains in HSTS'),
    });
  },
};

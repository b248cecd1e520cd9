import { pyRepr } from '../../settings/value';
import { SECURITY_MIDDLEWARE, describeSetting, hasMiddleware } from '../helpers';
import type { SettingsRule } from '../types';

export const rule: SettingsRule = {
  id: 'DJ-SEC-018',
  name: 'ssl-redirect-off',
  family: 'settings',
  summary: 'SECURE_SSL_REDIRECT is not True',
  defaultSeverity: 'warning',
  djangoChecks: ['security.W008'],
  docs: `With \`SECURE_SSL_REDIRECT = True\` SecurityMiddleware redirects every plain-HTTP request to HTTPS.
Django's check demands the value \`True\` itself (\`is True\`): a string such as \`"True"\` read from the
environment fails it. If a load balancer already redirects, silence \`security.W008\` in
\`SILENCED_SYSTEM_CHECKS\`; this rule honours that.

Before:
\`\`\`python
SECURE_SSL_REDIRECT = os.getenv("SSL_REDIRECT", False)
\`\`\`
After:
\`\`\`python
SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SECURE_SSL_REDIRECT", "True").lower() in ("1", "true", "yes")
\`\`\``,
  check(ctx) {
    if (hasMiddleware(ctx, SECURITY_MIDDLEWARE) !== true) return;
    const s = ctx.setting('SECURE_SSL_REDIRECT');
    const v = s.value;
    if (v.kind === 'unknown' || (v.kind === 'bool' && v.value)) return;
    const envName = v.env?.names[0] ?? ctx.edit.envName('SECURE_SSL_REDIRECT');
    const read = ctx.edit.envBool(envName, true);
    ctx.report({
      setting: s,
      message: `${describeSetting(s, pyRepr(v))}: plain-HTTP requests are not redirected to HTTPS`,
      djangoChecks: ['security.W008'],
      fixes: () => ctx.edit.setValue(s, read.text, `Redirect to HTTPS (on unless ${envName} says otherwise)`, read.imports),
    });
  },
};

import { atLeast } from '../../project/djangoVersion';
import { isSequence, truthy } from '../../settings/value';
import type { Setting } from '../../settings/profile';
import { corsSetting, corsUsed } from '../apiSettings';
import type { SettingsRule } from '../types';

export const rule: SettingsRule = {
  id: 'DJ-SEC-039',
  name: 'csrf-trusted-origins-missing',
  family: 'settings',
  summary: 'A cross-origin frontend sends cookies but CSRF_TRUSTED_ORIGINS is empty',
  defaultSeverity: 'information',
  djangoChecks: [],
  docs: `When a frontend on another origin calls the API with cookies (\`CORS_ALLOW_CREDENTIALS\` with
\`CORS_ALLOWED_ORIGINS\`), or cookies are shared across subdomains (\`SESSION_COOKIE_DOMAIN\`,
\`CSRF_COOKIE_DOMAIN\`), Django's CSRF check compares the request's \`Origin\` with the site's own host
and \`CSRF_TRUSTED_ORIGINS\`. With that list empty every POST, PUT and DELETE from the frontend fails
with 403 "Origin checking failed". The fix reads the list from the environment.

Before:
\`\`\`python
CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
CORS_ALLOW_CREDENTIALS = True
\`\`\`
After:
\`\`\`python
CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
CORS_ALLOW_CREDENTIALS = True
CSRF_TRUSTED_ORIGINS = [h.strip() for h in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if h.strip()]
\`\`\``,
  check(ctx) {
    const s = ctx.setting('CSRF_TRUSTED_ORIGINS');
    const v = s.value;
    // An environment read is the operator's to fill; only a list that is empty in the source counts.
    if (v.env || (v.kind === 'unknown' && !s.isDefault) || !isSequence(v) || v.items.length > 0 || v.partial) return;
    let reason: string | undefined;
    let cause: Setting | undefined;
    if (corsUsed(ctx)) {
      const origins = corsSetting(ctx, 'CORS_ALLOWED_ORIGINS', 'CORS_ORIGIN_WHITELIST');
      const credentials = ctx.setting('CORS_ALLOW_CREDENTIALS');
      if (truthy(credentials.value) === true && isSequence(origins.value) && origins.value.items.length > 0) {
        reason = `${origins.name} lets another origin call the API with cookies (CORS_ALLOW_CREDENTIALS)`;
        cause = credentials;
      }
    }
    if (!reason && atLeast(ctx.profile.version, 4, 0)) {
      for (const name of ['SESSION_COOKIE_DOMAIN', 'CSRF_COOKIE_DOMAIN']) {
        const d = ctx.setting(name);
        if (!d.isDefault && d.value.kind === 'str' && d.value.value !== '') {
          reason = `${name} shares cookies with other subdomains`;
          cause = d;
          break;
        }
      }
    }
    if (!reason) return;
    const env = ctx.edit.envList(ctx.edit.envName('CSRF_TRUSTED_ORIGINS'));
    ctx.report({
      setting: s,
      message: `CSRF_TRUSTED_ORIGINS is empty but ${reason}: their POST, PUT and DELETE requests fail Django's origin check (403)`,
      related: cause?.binding?.stmt ? [{ location: cause.binding.stmt, message: `${cause.name} is set here` }] : undefined,
      fixes: () => ctx.edit.setValue(s, env.text, 'Read CSRF_TRUSTED_ORIGINS from the environment', env.imports),
    });
  },
};

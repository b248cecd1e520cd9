import { truthy } from '../../settings/value';
import { ratelimitUsed } from '../apiSettings';
import type { SettingsRule } from '../types';

export const rule: SettingsRule = {
  id: 'DJ-API-010',
  name: 'ratelimit-ip-behind-proxy',
  family: 'settings',
  summary: 'django-ratelimit keys IP limits on the proxy address, or on a header clients can forge',
  defaultSeverity: 'information',
  djangoChecks: [],
  docs: `Behind a load balancer or reverse proxy (here: \`SECURE_PROXY_SSL_HEADER\` or \`USE_X_FORWARDED_HOST\`
is set), \`REMOTE_ADDR\` is the proxy's address. django-ratelimit's \`key="ip"\` reads it unless
\`RATELIMIT_IP_META_KEY\` names another header, so all clients share one limit: one attacker locks
everyone out. Setting it to \`HTTP_X_FORWARDED_FOR\` is no better: the client writes the start of that
header and gets a fresh limit with every value. Use a header your proxy overwrites (\`X-Real-IP\`), or a
callable that takes the address the proxy appended. The fix is only applied on request: a header the
proxy does not send makes every limited view fail.

Before:
\`\`\`python
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
\`\`\`
After:
\`\`\`python
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
RATELIMIT_IP_META_KEY = "HTTP_X_REAL_IP"  # set by the proxy: proxy_set_header X-Real-IP $remote_addr;
\`\`\``,
  check(ctx) {
    if (!ratelimitUsed(ctx) || truthy(ctx.setting('RATELIMIT_ENABLE').value) === false) return;
    const key = ctx.setting('RATELIMIT_IP_META_KEY');
    if (key.value.kind === 'str' && key.value.value.toUpperCase() === 'HTTP_X_FORWARDED_FOR') {
      ctx.report({
        setting: key,
        message: 'RATELIMIT_IP_META_KEY is HTTP_X_FORWARDED_FOR: clients write the start of that header, so each forged value gets a fresh IP limit',
      });
      return;
    }
    if (!key.isDefault) return;
    const sslHeader = ctx.setting('SECURE_PROXY_SSL_HEADER');
    const forwardedHost = ctx.setting('USE_X_FORWARDED_HOST');
    const evidence = !sslHeader.isDefault && truthy(sslHeader.value) === true ? sslHeader : !forwardedHost.isDefault && truthy(forwardedHost.value) === true ? forwardedHost : undefined;
    if (!evidence) return;
    ctx.report({
      setting: key,
      message: `${evidence.name} says requests come through a proxy, but RATELIMIT_IP_META_KEY is not set: IP rate limits key on the proxy's address, so one client's limit blocks everyone`,
      related: evidence.binding?.stmt ? [{ location: evidence.binding.stmt, message: `${evidence.name} is set here` }] : undefined,
      fixes: () => ctx.edit.setValue(key, '"HTTP_X_REAL_IP"', 'Read client IPs from X-Real-IP (your proxy must set it)', [], 'set by the proxy: proxy_set_header X-Real-IP $remote_addr;').map((f) => ({ ...f, safe: false })),
    });
  },
};

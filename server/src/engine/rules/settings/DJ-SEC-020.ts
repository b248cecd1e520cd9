import { isSequence, pyRepr } from '../../settings/value';
import type { SettingsRule } from '../types';

export const rule: SettingsRule = {
  id: 'DJ-SEC-020',
  name: 'proxy-ssl-header',
  family: 'settings',
  summary: 'SECURE_PROXY_SSL_HEADER is malformed or names a header Django never sees',
  defaultSeverity: 'error',
  djangoChecks: [],
  docs: `\`SECURE_PROXY_SSL_HEADER\` must be a pair of strings: the \`request.META\` key of the header your proxy
sets and the value that means HTTPS. META keys are upper case, prefixed with \`HTTP_\` and use
underscores, so \`("X-Forwarded-Proto", "https")\` never matches: \`request.is_secure()\` stays False and
\`SECURE_SSL_REDIRECT\` redirects forever. Anything but a pair raises ImproperlyConfigured on the first
request.

Before:
\`\`\`python
SECURE_PROXY_SSL_HEADER = ("X-Forwarded-Proto", "https")
\`\`\`
After:
\`\`\`python
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
\`\`\``,
  check(ctx) {
    const s = ctx.setting('SECURE_PROXY_SSL_HEADER');
    const v = s.value;
    if (s.isDefault || v.kind === 'unknown' || v.kind === 'none') return;
    const fixes = ctx.edit.setValue(s, '("HTTP_X_FORWARDED_PROTO", "https")', 'Use ("HTTP_X_FORWARDED_PROTO", "https")');
    if (!isSequence(v) || v.partial || v.items.length !== 2 || v.items.some((i) => i.kind !== 'str' && i.kind !== 'unknown')) {
      ctx.report({ setting: s, message: `SECURE_PROXY_SSL_HEADER is ${pyRepr(v)}: it must be a pair (header, value); Django raises ImproperlyConfigured on the first request`, fixes });
      return;
    }
    const header = v.items[0]!;
    if (header.kind !== 'str') return;
    if (!header.value.startsWith('HTTP_') || /[-a-z]/.test(header.value)) {
      ctx.report({
        setting: s,
        at: header.src,
        message: `SECURE_PROXY_SSL_HEADER names ${JSON.stringify(header.value)}, but request.META keys look like "HTTP_X_FORWARDED_PROTO": requests never count as HTTPS`,
        fixes,
      });
    }
  },
};

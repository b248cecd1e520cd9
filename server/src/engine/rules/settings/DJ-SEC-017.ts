import { stringItems } from '../../settings/value';
import { SECURITY_MIDDLEWARE } from '../helpers';
import type { SettingsRule } from '../types';

const MAY_PRECEDE = new Set(['corsheaders.middleware.CorsMiddleware', 'django.middleware.gzip.GZipMiddleware', 'django_prometheus.middleware.PrometheusBeforeMiddleware']);

export const rule: SettingsRule = {
  id: 'DJ-SEC-017',
  name: 'security-middleware-order',
  family: 'settings',
  summary: 'SecurityMiddleware is not near the top of MIDDLEWARE',
  defaultSeverity: 'hint',
  djangoChecks: [],
  docs: `SecurityMiddleware should run first so its HTTPS redirect and headers apply before sessions, CSRF or
your own middleware do any work (or fail) on a plain-HTTP request. Only middleware that must see every
response, such as CorsMiddleware, belongs above it.

Before:
\`\`\`python
MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware", "django.middleware.security.SecurityMiddleware"]
\`\`\`
After:
\`\`\`python
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "django.contrib.sessions.middleware.SessionMiddleware"]
\`\`\``,
  check(ctx) {
    const mw = ctx.setting('MIDDLEWARE');
    const items = stringItems(mw.value);
    if (!items) return;
    const index = items.indexOf(SECURITY_MIDDLEWARE);
    if (index <= 0) return;
    const before = items.slice(0, index).filter((m) => !MAY_PRECEDE.has(m));
    if (before.length === 0) return;
    const entry = mw.value.kind === 'list' || mw.value.kind === 'tuple' ? mw.value.items[index] : undefined;
    ctx.report({
      setting: mw,
      at: entry?.src,
      message: `SecurityMiddleware runs after ${before.map((m) => m.split('.').pop()).join(', ')}: move it to the top so the HTTPS redirect and headers apply first`,
    });
  },
};

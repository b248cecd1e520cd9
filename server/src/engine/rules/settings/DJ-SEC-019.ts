import { isSequence, truthy } from '../../settings/value';
import type { SettingsRule } from '../types';

const CATCH_ALL = new Set(['', '^', '.*', '.+', '^.*', '^.*$', '^.+$', '.*$', '(.*)']);

export const rule: SettingsRule = {
  id: 'DJ-SEC-019',
  name: 'redirect-exempt-or-forwarded-host',
  family: 'settings',
  summary: 'SECURE_REDIRECT_EXEMPT exempts everything, or the Host header is taken from the proxy',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `A \`SECURE_REDIRECT_EXEMPT\` pattern that matches every path switches the HTTPS redirect off while
\`SECURE_SSL_REDIRECT\` still looks on. \`USE_X_FORWARDED_HOST\` / \`USE_X_FORWARDED_PORT\` make Django trust
the \`X-Forwarded-Host\`/\`-Port\` headers: correct only when a proxy you control always overwrites them,
otherwise any client chooses the host used in absolute URLs and password-reset links.

Before:
\`\`\`python
SECURE_REDIRECT_EXEMPT = [r".*"]
\`\`\`
After: list only the paths that must stay on HTTP (for example \`[r"^healthz/$"]\`).`,
  check(ctx) {
    const exempt = ctx.setting('SECURE_REDIRECT_EXEMPT');
    if (isSequence(exempt.value)) {
      for (const item of exempt.value.items) {
        if (item.kind === 'str' && CATCH_ALL.has(item.value.trim())) {
          ctx.report({ setting: exempt, at: item.src, message: `SECURE_REDIRECT_EXEMPT contains ${JSON.stringify(item.value)}, which matches every path: nothing is redirected to HTTPS` });
        }
      }
    }
    for (const name of ['USE_X_FORWARDED_HOST', 'USE_X_FORWARDED_PORT']) {
      const s = ctx.setting(name);
      if (s.isDefault || truthy(s.value) !== true) continue;
      ctx.report({ setting: s, severity: 'hint', message: `${name} is on: make sure the proxy in front always overwrites X-Forwarded-${name.endsWith('HOST') ? 'Host' : 'Port'}, or clients choose the host in absolute URLs` });
    }
  },
};

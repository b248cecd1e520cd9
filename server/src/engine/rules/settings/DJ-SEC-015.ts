import { isSequence, stringItems } from '../../settings/value';
import { whenUnset } from '../helpers';
import type { SettingsRule } from '../types';

const LOCAL = new Set(['localhost', '127.0.0.1', '::1', '[::1]', '0.0.0.0', '.localhost']);

export const rule: SettingsRule = {
  id: 'DJ-SEC-015',
  name: 'allowed-hosts-local-only',
  family: 'settings',
  summary: 'Production ALLOWED_HOSTS lists only local addresses',
  defaultSeverity: 'information',
  djangoChecks: [],
  docs: `When production's \`ALLOWED_HOSTS\` holds only \`localhost\`/\`127.0.0.1\`, every request for the real
domain gets 400 Bad Request — usually because the variable that should list the domain is unset and
the development default applies.

Before:
\`\`\`python
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")
\`\`\`
After:
\`\`\`python
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()]
\`\`\``,
  check(ctx) {
    const hosts = ctx.setting('ALLOWED_HOSTS');
    const items = stringItems(hosts.value);
    if (!items || items.length === 0 || hosts.isDefault || !isSequence(hosts.value)) return;
    if (!items.every((h) => LOCAL.has(h.trim()))) return;
    ctx.report({
      setting: hosts,
      message: `ALLOWED_HOSTS only allows local addresses${whenUnset(hosts.value)}: requests for the real domain get 400`,
    });
  },
};

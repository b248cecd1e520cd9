import { isSequence, truthy } from '../../settings/value';
import { whenUnset } from '../helpers';
import type { SettingsRule } from '../types';

/** Platform domains shared by every tenant: `.vercel.app` matches anyone's app. */
const SHARED_SUFFIXES = ['.vercel.app', '.herokuapp.com', '.onrender.com', '.hf.space', '.ondigitalocean.app', '.fly.dev', '.up.railway.app', '.railway.app', '.netlify.app', '.pythonanywhere.com'];

export const rule: SettingsRule = {
  id: 'DJ-SEC-012',
  name: 'allowed-hosts-wildcard',
  family: 'settings',
  summary: 'ALLOWED_HOSTS accepts any host',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `\`ALLOWED_HOSTS = ["*"]\` switches off Django's Host-header validation, which is what stops
cache poisoning and password-reset emails pointing at an attacker's domain. A leading-dot platform
domain (\`.vercel.app\`, \`.herokuapp.com\`) lets every other tenant of that platform in. The wildcard is
often a default: \`os.getenv("ALLOWED_HOSTS", "*")\`.

Before:
\`\`\`python
ALLOWED_HOSTS = os.getenv("ALLOWED_HOSTS", "*").split(",")
\`\`\`
After:
\`\`\`python
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()]
\`\`\``,
  check(ctx) {
    const hosts = ctx.setting('ALLOWED_HOSTS');
    const v = hosts.value;
    if (!isSequence(v)) return;
    const debugOn = truthy(ctx.setting('DEBUG').value) === true;
    for (const item of v.items) {
      if (item.kind !== 'str') continue;
      const fixes = () => {
        const envName = v.env?.names[0] ?? ctx.edit.envName('ALLOWED_HOSTS');
        const read = ctx.edit.envList(envName);
        return ctx.edit.setValue(hosts, read.text, `Read ALLOWED_HOSTS from ${envName}`, read.imports);
      };
      const at = item.src ?? v.env?.fallback ?? hosts.binding?.rhs;
      if (item.value.trim() === '*') {
        ctx.report({
          setting: hosts,
          at,
          severity: debugOn ? 'error' : 'warning',
          message: `ALLOWED_HOSTS accepts any host${whenUnset(v)}: Host-header attacks (poisoned caches, reset links to other domains) are not stopped`,
          fixes,
        });
        return;
      }
      const shared = SHARED_SUFFIXES.find((s) => item.value === s || item.value === s.slice(1));
      if (shared && item.value.startsWith('.')) {
        ctx.report({ setting: hosts, at, severity: 'information', message: `ALLOWED_HOSTS contains ${JSON.stringify(item.value)}: every tenant of that platform matches; list your own host names` });
      }
    }
  },
};

import { truthy } from '../../settings/value';
import { whenUnset } from '../helpers';
import type { Setting } from '../../settings/profile';
import type { Fix } from '../../types';
import type { SettingsContext, SettingsRule } from '../types';

const IMPROPERLY = 'from django.core.exceptions import ImproperlyConfigured';

/**
 * Read the hosts from the environment and refuse to start without them: an empty list would only
 * move the failure from a 400 on every request to the same 400 later.
 */
function allowedHostsFix(ctx: SettingsContext, hosts: Setting, envName: string, read: { text: string; imports: string[] }): Fix[] {
  const guard = ['if not DEBUG and not ALLOWED_HOSTS:', `    raise ImproperlyConfigured("Set ${envName} to the host names this site serves")`];
  const stmt = hosts.binding?.stmt;
  if (stmt && stmt.file === ctx.profile.module.path && !hosts.binding?.imported && hosts.binding?.rhs) {
    return [{
      title: `Read ALLOWED_HOSTS from ${envName} and require it`,
      edits: [{ ...hosts.binding.rhs, newText: read.text }, ...ctx.edit.insertAfter(stmt, guard, [...read.imports, IMPROPERLY])],
      safe: true,
    }];
  }
  return [{
    title: `Read ALLOWED_HOSTS from ${envName} and require it`,
    edits: ctx.edit.insertLines([`ALLOWED_HOSTS = ${read.text}`, ...guard], [...read.imports, IMPROPERLY]),
    safe: true,
  }];
}

export const rule: SettingsRule = {
  id: 'DJ-SEC-013',
  name: 'allowed-hosts-empty',
  family: 'settings',
  summary: 'ALLOWED_HOSTS is empty in production',
  defaultSeverity: 'warning',
  djangoChecks: ['security.W020'],
  docs: `With \`DEBUG\` off, Django answers every request whose Host header is not in \`ALLOWED_HOSTS\`
with 400 Bad Request, so an empty list means the site serves nothing. The common cause is a list read
from the environment that is empty when the variable is unset.

Before:
\`\`\`python
ALLOWED_HOSTS = []
\`\`\`
After:
\`\`\`python
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()]
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must be set")
\`\`\``,
  check(ctx) {
    const hosts = ctx.setting('ALLOWED_HOSTS');
    if (truthy(hosts.value) !== false) return;
    const envName = hosts.value.env?.names[0] ?? ctx.edit.envName('ALLOWED_HOSTS');
    const read = ctx.edit.envList(envName);
    ctx.report({
      setting: hosts,
      message: hosts.isDefault
        ? 'ALLOWED_HOSTS is not set: with DEBUG off every request is rejected with 400'
        : `ALLOWED_HOSTS is empty${whenUnset(hosts.value)}: with DEBUG off every request is rejected with 400`,
      djangoChecks: ['security.W020'],
      fixes: () => allowedHostsFix(ctx, hosts, envName, read),
    });
  },
};

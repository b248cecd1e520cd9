import { whenUnset } from '../helpers';
import type { SettingsRule } from '../types';

const LIST_SETTINGS = ['ALLOWED_HOSTS', 'CSRF_TRUSTED_ORIGINS', 'CORS_ALLOWED_ORIGINS', 'INTERNAL_IPS'];

export const rule: SettingsRule = {
  id: 'DJ-SEC-014',
  name: 'list-setting-is-string',
  family: 'settings',
  summary: 'ALLOWED_HOSTS, CSRF_TRUSTED_ORIGINS, CORS_ALLOWED_ORIGINS or INTERNAL_IPS is a string',
  defaultSeverity: 'error',
  djangoChecks: [],
  docs: `These settings are lists. A string is iterated character by character, so
\`ALLOWED_HOSTS = os.getenv("ALLOWED_HOSTS")\` set to \`example.com\` allows the hosts \`e\`, \`x\`, \`a\`...
and rejects the real one — or, with \`"*"\`, accepts everything. Django has no check for it.

Before:
\`\`\`python
ALLOWED_HOSTS = os.getenv("ALLOWED_HOSTS", "localhost")
\`\`\`
After:
\`\`\`python
ALLOWED_HOSTS = os.getenv("ALLOWED_HOSTS", "localhost").split(",")
\`\`\``,
  check(ctx) {
    for (const name of LIST_SETTINGS) {
      const s = ctx.setting(name);
      const v = s.value;
      const isString = v.kind === 'str' || (v.kind !== 'unknown' && v.env?.setType === 'str' && v.kind !== 'list' && v.kind !== 'tuple') || (v.kind === 'unknown' && v.setType === 'str' && !!v.required);
      if (!isString || s.isDefault || !s.binding?.rhs) continue;
      const rhs = s.binding.rhs;
      const text = ctx.edit.textAt(rhs);
      const fixes = text !== undefined && s.binding.rhs.file === ctx.profile.module.path
        ? [{ title: `Split ${name} on commas`, edits: [{ ...rhs, newText: `[h.strip() for h in (${text}).split(",") if h.strip()]` }], safe: true }]
        : [];
      ctx.report({
        setting: s,
        at: rhs,
        message: `${name} is a string${v.kind === 'str' ? whenUnset(v) : ' once its variable is set'}: Django iterates it character by character`,
        fixes,
      });
    }
  },
};


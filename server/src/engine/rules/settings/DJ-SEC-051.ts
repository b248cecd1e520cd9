import { pyRepr } from '../../settings/value';
import type { SettingsRule } from '../types';

export const rule: SettingsRule = {
  id: 'DJ-SEC-051',
  name: 'invalid-hashing-algorithm',
  family: 'settings',
  summary: 'DEFAULT_HASHING_ALGORITHM is not sha1 or sha256 (Django 3.1–3.2)',
  defaultSeverity: 'error',
  djangoChecks: ['security.E100'],
  docs: `Django 3.1 and 3.2 use \`DEFAULT_HASHING_ALGORITHM\` (a transitional setting, removed in 4.0) to sign
cookies and tokens during the SHA-1 to SHA-256 migration; any value other than \`"sha1"\` or \`"sha256"\`
is rejected at startup.

Before:
\`\`\`python
DEFAULT_HASHING_ALGORITHM = "sha512"
\`\`\`
After:
\`\`\`python
DEFAULT_HASHING_ALGORITHM = "sha256"
\`\`\``,
  check(ctx) {
    const { major, minor } = ctx.profile.version;
    if (!(major === 3 && (minor === 1 || minor === 2))) return;
    const s = ctx.setting('DEFAULT_HASHING_ALGORITHM');
    const v = s.value;
    if (v.kind === 'unknown' || (v.kind === 'str' && (v.value === 'sha1' || v.value === 'sha256'))) return;
    ctx.report({
      setting: s,
      message: `DEFAULT_HASHING_ALGORITHM is ${pyRepr(v)}: Django accepts only "sha1" or "sha256"`,
      djangoChecks: ['security.E100'],
      fixes: () => ctx.edit.setValue(s, '"sha256"', 'Use sha256'),
    });
  },
};

import { atLeast } from '../../project/djangoVersion';
import { truthy } from '../../settings/value';
import { whenUnset } from '../helpers';
import type { SettingsRule } from '../types';

export const rule: SettingsRule = {
  id: 'DJ-OPS-028',
  name: 'use-tz-off',
  family: 'settings',
  summary: 'USE_TZ is off',
  defaultSeverity: 'hint',
  djangoChecks: [],
  docs: `With \`USE_TZ = False\` Django stores and compares naive local datetimes: values jump or repeat around
daylight-saving changes, and servers in different time zones disagree. \`True\` is the default since
Django 5.0 and in every project \`startproject\` generated since 1.4. Switching changes how existing
datetimes are read (naive values become UTC), so the fix is not applied by "fix all".

Before:
\`\`\`python
USE_TZ = False
\`\`\`
After:
\`\`\`python
USE_TZ = True
\`\`\``,
  check(ctx) {
    if (!atLeast(ctx.profile.version, 4, 0)) return;
    const s = ctx.setting('USE_TZ');
    if (s.isDefault || truthy(s.value) !== false) return;
    ctx.report({
      setting: s,
      message: `USE_TZ is False${whenUnset(s.value)}: datetimes are stored as naive local time, ambiguous around daylight-saving changes`,
      fixes: () => ctx.edit.setValue(s, 'True', 'Use timezone-aware datetimes').map((f) => ({ ...f, safe: false })),
    });
  },
};

import { atLeast } from '../../project/djangoVersion';
import { isSequence } from '../../settings/value';
import type { SettingsRule } from '../types';
import { weakKeyReason } from './DJ-SEC-006';

export const rule: SettingsRule = {
  id: 'DJ-SEC-008',
  name: 'weak-secret-key-fallbacks',
  family: 'settings',
  summary: 'SECRET_KEY_FALLBACKS holds a weak or hardcoded key',
  defaultSeverity: 'warning',
  djangoChecks: ['security.W025'],
  docs: `\`SECRET_KEY_FALLBACKS\` (Django 4.1+) keeps old keys valid while you rotate: every entry can still
sign sessions and reset links, so each must be as strong as \`SECRET_KEY\` and, like it, come from the
environment rather than the source.

Before:
\`\`\`python
SECRET_KEY_FALLBACKS = ["old-key"]
\`\`\`
After:
\`\`\`python
SECRET_KEY_FALLBACKS = [k for k in os.environ.get("DJANGO_SECRET_KEY_FALLBACKS", "").split(",") if k]
\`\`\``,
  check(ctx) {
    if (!atLeast(ctx.profile.version, 4, 1)) return;
    const s = ctx.setting('SECRET_KEY_FALLBACKS');
    const v = s.value;
    if (!isSequence(v)) return;
    const envName = ctx.edit.envName('SECRET_KEY_FALLBACKS');
    const fix = () =>
      ctx.edit.setValue(s, `[k for k in os.environ.get("${envName}", "").split(",") if k]`, `Read SECRET_KEY_FALLBACKS from ${envName}`, ['import os']);
    v.items.forEach((item, index) => {
      if (item.kind !== 'str') return;
      const weak = weakKeyReason(item.value);
      const at = item.src ?? s.binding?.rhs;
      if (weak) {
        ctx.report({
          setting: s,
          at,
          message: `SECRET_KEY_FALLBACKS[${index}] ${weak}: an old key that weak still signs valid sessions`,
          djangoChecks: ['security.W025'],
          fixes: () => fix(),
        });
      } else if (!item.env && !s.isDefault) {
        ctx.report({
          setting: s,
          at,
          message: `SECRET_KEY_FALLBACKS[${index}] is written in the source: anyone with the code can sign sessions with it`,
          fixes: () => fix(),
        });
      }
    });
  },
};

import type { SettingsRule } from '../types';

const INT_SETTINGS = ['SECURE_HSTS_SECONDS', 'CONN_MAX_AGE', 'EMAIL_PORT', 'EMAIL_TIMEOUT', 'SESSION_COOKIE_AGE', 'DATA_UPLOAD_MAX_MEMORY_SIZE', 'DATA_UPLOAD_MAX_NUMBER_FIELDS', 'DATA_UPLOAD_MAX_NUMBER_FILES', 'FILE_UPLOAD_MAX_MEMORY_SIZE', 'PASSWORD_RESET_TIMEOUT'];

export const rule: SettingsRule = {
  id: 'DJ-ENV-003',
  name: 'number-from-env-string',
  family: 'settings',
  summary: 'A numeric setting is assigned a raw environment string',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `\`EMAIL_PORT = os.environ.get("EMAIL_PORT", 587)\` is the int 587 only while the variable is unset;
once it is set, Django receives the string \`"587"\` and fails (or, for \`SECURE_HSTS_SECONDS\`, sends the
text as written). Convert with \`int()\`.

Before:
\`\`\`python
EMAIL_PORT = os.environ.get("EMAIL_PORT", 587)
\`\`\`
After:
\`\`\`python
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 587))
\`\`\``,
  check(ctx) {
    for (const name of INT_SETTINGS) {
      // DJ-SEC-025 covers SECURE_HSTS_SECONDS with a more specific message.
      if (name === 'SECURE_HSTS_SECONDS') continue;
      const s = ctx.setting(name);
      const v = s.value;
      const rhs = s.binding?.rhs;
      if (!rhs || s.isDefault || !v.env || v.env.setType !== 'str') continue;
      const text = ctx.edit.textAt(rhs);
      if (text === undefined) continue;
      ctx.report({
        setting: s,
        at: rhs,
        message: `${name} is a string once ${v.env.names.join(', ')} is set: Django expects a number`,
        fixes: () => ctx.edit.setValue(s, `int(${text})`, `Convert ${name} to an int`),
      });
    }
  },
};

import type { SettingsRule } from '../types';

/** The evaluator's reason for values produced by get_random_secret_key(), secrets.token_*(), os.urandom()... */
const RANDOM = 'random value generated at import';

export const rule: SettingsRule = {
  id: 'DJ-SEC-007',
  name: 'random-secret-key',
  family: 'settings',
  summary: 'SECRET_KEY is generated when the settings are imported',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `\`SECRET_KEY = get_random_secret_key()\` gives every worker process and every restart its own key:
sessions, CSRF tokens and password-reset links signed by one worker fail on the next, and every deploy
logs everyone out. Generate the key once, at deploy time, and read it from the environment.

Before:
\`\`\`python
SECRET_KEY = get_random_secret_key()
\`\`\`
After:
\`\`\`python
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
\`\`\``,
  check(ctx) {
    const key = ctx.setting('SECRET_KEY');
    if (key.value.kind !== 'unknown' || key.value.reason !== RANDOM || !key.binding?.rhs) return;
    const name = ctx.edit.envName('SECRET_KEY');
    const read = ctx.edit.envRequired(name);
    ctx.report({
      setting: key,
      message: 'SECRET_KEY is generated at import: each worker and each restart gets a different key, so sessions and reset links break',
      fixes: () => ctx.edit.setValue(key, read.text, `Read SECRET_KEY from ${name} (required)`, read.imports),
    });
  },
};

import { dictGetStr, type Value } from '../../settings/value';
import type { Setting } from '../../settings/profile';
import type { SettingsContext, SettingsRule } from '../types';

function emptyFallback(v: Value | undefined): boolean {
  return !!v?.env && (v.kind === 'none' || (v.kind === 'str' && v.value === ''));
}

export const rule: SettingsRule = {
  id: 'DJ-ENV-001',
  name: 'unvalidated-required-env',
  family: 'settings',
  summary: 'A setting production needs is read with a None or empty default and never validated',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `\`SECRET_KEY = os.environ.get("SECRET_KEY")\` lets the process start without the variable; the failure
comes later and somewhere else (the first signed cookie, the first database query, the first email).
Read critical values with \`os.environ["X"]\` (or a validation step that raises ImproperlyConfigured
listing what is missing) so a misconfigured deployment fails at startup, where it is obvious.

Before:
\`\`\`python
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY")
\`\`\`
After:
\`\`\`python
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
\`\`\``,
  check(ctx) {
    const report = (s: Setting, v: Value, label: string) => {
      const name = v.env!.names[0]!;
      const read = ctx.edit.envRequired(name);
      const at = v.src ?? s.binding?.rhs;
      // The fix rewrites the whole read only when the read is the assigned expression itself.
      const rhs = s.binding?.rhs;
      const whole = rhs && at && rhs.range.start.line === at.range.start.line && rhs.range.start.character === at.range.start.character;
      ctx.report({
        setting: s,
        at,
        message: `${label} is ${v.kind === 'none' ? 'None' : 'empty'} when ${name} is unset, and nothing checks it: the app starts and fails later; require the variable`,
        fixes: () => whole ? ctx.edit.setValue(s, read.text, `Require ${name}`, read.imports) : [],
      });
    };
    const key = ctx.setting('SECRET_KEY');
    if (emptyFallback(key.value)) report(key, key.value, 'SECRET_KEY');
    checkDatabases(ctx, report);
    // Other credentials read with a None default are usually optional integrations the code tests
    // (`if SENTRY_DSN:`): only EMAIL_HOST_PASSWORD for a real SMTP host is required by Django itself.
    const host = ctx.setting('EMAIL_HOST').value;
    const password = ctx.setting('EMAIL_HOST_PASSWORD');
    if (host.kind === 'str' && host.value !== '' && host.value !== 'localhost' && emptyFallback(password.value) && password.value.kind === 'none') {
      report(password, password.value, 'EMAIL_HOST_PASSWORD');
    }
  },
};

function checkDatabases(ctx: SettingsContext, report: (s: Setting, v: Value, label: string) => void): void {
  const dbs = ctx.setting('DATABASES');
  const def = dictGetStr(dbs.value, 'default');
  const engine = dictGetStr(def, 'ENGINE');
  if (!def || (engine?.kind === 'str' && engine.value.includes('sqlite'))) return;
  for (const key of ['NAME', 'USER', 'PASSWORD']) {
    const v = dictGetStr(def, key);
    if (v && v.env && v.kind === 'none') report(dbs, v, `DATABASES["default"]["${key}"]`);
  }
}

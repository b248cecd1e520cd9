import { isPlaceholder } from '../credentials/patterns';
import type { SettingsRule } from '../types';

export const rule: SettingsRule = {
  id: 'DJ-SEC-005',
  name: 'secret-key-fallback',
  family: 'settings',
  summary: 'SECRET_KEY falls back to a literal when its environment variable is unset',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `\`SECRET_KEY = os.getenv("SECRET_KEY", "dev-key")\` looks safe, but production runs with the key from
the repository whenever the variable is missing: a typo in the deployment config is enough, and nothing
fails. Require the variable, or keep the development default and refuse to start without the real key
when DEBUG is off. No peer tool reads these defaults (Bandit and Ruff ignore call arguments).

Before:
\`\`\`python
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "django-insecure-dev")
\`\`\`
After:
\`\`\`python
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
\`\`\``,
  check(ctx) {
    const key = ctx.setting('SECRET_KEY');
    const v = key.value;
    if (v.kind !== 'str' || !v.env || v.value === '' || !key.binding?.rhs) return;
    const name = v.env.names[0]!;
    const bad = v.value.startsWith('django-insecure-') || isPlaceholder(v.value);
    const read = ctx.edit.envRequired(name);
    const rhs = key.binding.rhs;
    const fixes = ctx.edit.setValue(key, read.text, `Require ${name} (no default)`, read.imports);
    const stmt = key.binding.stmt;
    if (stmt && stmt.file === ctx.profile.module.path && !key.binding.imported) {
      fixes.push({
        title: `Keep the default for development, refuse to start without ${name} when DEBUG is off`,
        edits: ctx.edit.insertAfter(stmt, [`if not DEBUG and SECRET_KEY == ${JSON.stringify(v.value)}:`, `    raise ImproperlyConfigured("Set ${name}: the default key is for development only")`], ['from django.core.exceptions import ImproperlyConfigured']),
        safe: false,
      });
    }
    void rhs;
    ctx.report({
      setting: key,
      severity: bad ? 'error' : 'warning',
      message: `SECRET_KEY falls back to a key written in the source when ${name} is unset: production would sign sessions with it`,
      fixes,
    });
  },
};

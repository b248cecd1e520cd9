import { pyRepr, truthy } from '../../settings/value';
import { isLiteral, whenUnset } from '../helpers';
import type { SettingsRule } from '../types';

export const rule: SettingsRule = {
  id: 'DJ-SEC-001',
  name: 'debug-enabled',
  family: 'settings',
  summary: 'DEBUG is on in production',
  defaultSeverity: 'error',
  djangoChecks: ['security.W018'],
  docs: `With \`DEBUG\` on, every error page shows settings, environment variables, SQL and source code to
whoever triggers it, and Django keeps every query in memory. Django's \`check --deploy\` only sees the
value in the shell it runs in; this rule also reads environment fallbacks, so
\`DEBUG = os.getenv("DEBUG", "True") == "True"\` is reported: production runs with DEBUG on whenever the
variable is missing.

Before:
\`\`\`python
DEBUG = os.getenv("DJANGO_DEBUG", "True") == "True"
\`\`\`
After:
\`\`\`python
DEBUG = os.environ.get("DJANGO_DEBUG", "False").lower() in ("1", "true", "yes")
\`\`\``,
  check(ctx) {
    const debug = ctx.setting('DEBUG');
    if (truthy(debug.value) !== true) return;
    const envName = debug.value.env?.names[0] ?? ctx.edit.envName('DEBUG');
    const read = ctx.edit.envBool(envName, false);
    const literal = isLiteral(debug);
    ctx.report({
      setting: debug,
      severity: literal ? 'error' : 'warning',
      message: literal
        ? `DEBUG is ${pyRepr(debug.value)} in the production settings: error pages would expose code, settings and queries`
        : `DEBUG is on${whenUnset(debug.value)}: production shows debug pages whenever the variable is missing`,
      djangoChecks: ['security.W018'],
      fixes: () => ctx.edit.setValue(debug, read.text, `Read DEBUG from ${envName}, off by default`, read.imports),
    });
  },
};

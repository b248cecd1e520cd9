import { pyRepr } from '../../settings/value';
import { SECURITY_MIDDLEWARE, hasMiddleware } from '../helpers';
import type { SettingsRule } from '../types';

export const rule: SettingsRule = {
  id: 'DJ-SEC-025',
  name: 'hsts-seconds-type',
  family: 'settings',
  summary: 'SECURE_HSTS_SECONDS is read from the environment as a string, or is very short',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `An environment variable is a string: \`SECURE_HSTS_SECONDS = os.getenv("HSTS", "0")\` makes Django's
check pass (\`"0"\` is truthy) while browsers receive \`max-age=0\`, which tells them to forget HSTS. Cast
it with \`int()\`. A literal below 300 seconds without a comment explaining a ramp-up is reported as a
hint.

Before:
\`\`\`python
SECURE_HSTS_SECONDS = os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000")
\`\`\`
After:
\`\`\`python
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
\`\`\``,
  check(ctx) {
    if (hasMiddleware(ctx, SECURITY_MIDDLEWARE) !== true) return;
    const s = ctx.setting('SECURE_HSTS_SECONDS');
    const v = s.value;
    const rhs = s.binding?.rhs;
    if (!rhs || s.isDefault) return;
    if (v.kind === 'str' || (v.env && v.env.setType === 'str')) {
      const text = ctx.edit.textAt(rhs);
      ctx.report({
        setting: s,
        at: rhs,
        message: `SECURE_HSTS_SECONDS is a string${v.env ? ` when ${v.env.names.join(', ')} is set` : ''}: the header carries it as written (a "0" disables HSTS) while Django's check only tests truthiness`,
        fixes: () => text !== undefined ? ctx.edit.setValue(s, `int(${text})`, 'Convert SECURE_HSTS_SECONDS to an int') : [],
      });
      return;
    }
    if (v.kind === 'int' && v.value > 0 && v.value < 300 && !v.env) {
      // A comment on the line or in the comment block right above explains a ramp-up (cookiecutter's
      // "TODO: set this to 60 seconds first...").
      let line = rhs.range.start.line;
      let explained = ctx.edit.lineText(rhs.file, line)?.includes('#') ?? false;
      while (!explained && line > 0 && /^\s*#/.test(ctx.edit.lineText(rhs.file, line - 1) ?? '')) {
        explained = /second|ramp|raise|increase|hsts|todo/i.test(ctx.edit.lineText(rhs.file, line - 1) ?? '');
        line--;
      }
      if (explained) return;
      ctx.report({ setting: s, severity: 'hint', message: `SECURE_HSTS_SECONDS is ${pyRepr(v)}: fine while testing HTTPS; raise it (to 31536000 eventually) and say so in a comment` });
    }
  },
};

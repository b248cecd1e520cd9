import { LiteralEditor } from '../../fixes/literalEdit';
import { pyRepr, truthy } from '../../settings/value';
import { describeSetting } from '../helpers';
import type { SettingsRule } from '../types';

export const rule: SettingsRule = {
  id: 'DJ-API-009',
  name: 'ratelimit-disabled',
  family: 'settings',
  summary: 'RATELIMIT_ENABLE switches django-ratelimit off in production',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `\`RATELIMIT_ENABLE = False\` turns every \`@ratelimit\` decorator and the ratelimit middleware into a
no-op: login forms and APIs the project meant to protect accept unlimited attempts. It is meant for
test settings. A value read from the environment with a false default switches the limits off
whenever the variable is missing.

Before:
\`\`\`python
RATELIMIT_ENABLE = False
\`\`\`
After: delete the line (the default is \`True\`), or read it from the environment with a true default.`,
  check(ctx) {
    const s = ctx.setting('RATELIMIT_ENABLE');
    if (s.isDefault || truthy(s.value) !== false) return;
    const names = s.value.env?.names;
    const lit = new LiteralEditor(ctx.edit);
    let fixes;
    if (names?.length === 1) {
      const env = ctx.edit.envBool(names[0]!, true);
      fixes = ctx.edit.setValue(s, env.text, `Keep rate limits on when ${names[0]} is unset`, env.imports);
    } else if (s.binding?.stmt?.file === ctx.profile.module.path && !s.binding.imported) {
      fixes = lit.deleteAssignment(s, 'Remove RATELIMIT_ENABLE (rate limits on)');
    } else {
      fixes = ctx.edit.setValue(s, 'True', 'Turn rate limits on');
    }
    ctx.report({
      setting: s,
      message: `${describeSetting(s, pyRepr(s.value))}: every @ratelimit decorator and the ratelimit middleware let all requests through`,
      fixes,
    });
  },
};

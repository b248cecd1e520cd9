import { dictGetStr, isSequence, truthy } from '../../settings/value';
import { whenUnset } from '../helpers';
import type { SettingsRule } from '../types';

export const rule: SettingsRule = {
  id: 'DJ-SEC-002',
  name: 'debug-features',
  family: 'settings',
  summary: 'DEBUG_PROPAGATE_EXCEPTIONS or template debug is on in production',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `\`DEBUG_PROPAGATE_EXCEPTIONS\` lets exceptions escape Django's handlers, so the WSGI server shows its own
error page (often with a traceback) instead of your 500 page. A template engine with \`"debug": True\`
written as a literal keeps template debug information on even when DEBUG is off; derive it from DEBUG.

Before:
\`\`\`python
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "OPTIONS": {"debug": True}}]
\`\`\`
After:
\`\`\`python
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "OPTIONS": {"debug": DEBUG}}]
\`\`\``,
  check(ctx) {
    const prop = ctx.setting('DEBUG_PROPAGATE_EXCEPTIONS');
    if (!prop.isDefault && truthy(prop.value) === true) {
      const stmt = prop.binding?.stmt;
      ctx.report({
        setting: prop,
        message: `DEBUG_PROPAGATE_EXCEPTIONS is on${whenUnset(prop.value)}: errors bypass Django's handling and your 500 page`,
        fixes: () => stmt && stmt.file === ctx.profile.module.path ? [{ title: 'Remove DEBUG_PROPAGATE_EXCEPTIONS', edits: [ctx.edit.deleteStatement(stmt)], safe: true }] : [],
      });
    }
    const templates = ctx.setting('TEMPLATES');
    if (!isSequence(templates.value)) return;
    for (const engine of templates.value.items) {
      const options = dictGetStr(engine, 'OPTIONS');
      const debug = options ? dictGetStr(options, 'debug') : undefined;
      if (!debug || debug.kind !== 'bool' || !debug.value || debug.env || !debug.src) continue;
      ctx.report({
        setting: templates,
        at: debug.src,
        message: 'A template engine has "debug": True written in: template debug stays on in production; use DEBUG',
        fixes: [{ title: 'Derive template debug from DEBUG', edits: [{ ...debug.src, newText: 'DEBUG' }], safe: true }],
      });
    }
  },
};

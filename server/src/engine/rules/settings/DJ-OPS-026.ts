import { atLeast } from '../../project/djangoVersion';
import type { TextEdit } from '../../types';
import { locOf } from '../ops/support';
import type { SettingsRule } from '../types';

export const rule: SettingsRule = {
  id: 'DJ-OPS-026',
  name: 'middleware-classes',
  family: 'settings',
  summary: 'MIDDLEWARE_CLASSES is set but MIDDLEWARE is not (Django 2.0+ ignores it)',
  defaultSeverity: 'error',
  djangoChecks: [],
  docs: `Django 2.0 removed \`MIDDLEWARE_CLASSES\`. A project upgraded without renaming it runs with no middleware
at all: no security headers, no CSRF protection, no sessions or authentication on requests. The fix
renames the setting everywhere the settings use it (the old-style middleware classes themselves may
also need updating to the new middleware API).

Before:
\`\`\`python
MIDDLEWARE_CLASSES = ("django.middleware.security.SecurityMiddleware", ...)
\`\`\`
After:
\`\`\`python
MIDDLEWARE = ("django.middleware.security.SecurityMiddleware", ...)
\`\`\``,
  check(ctx) {
    if (!atLeast(ctx.profile.version, 2, 0)) return;
    const old = ctx.setting('MIDDLEWARE_CLASSES');
    if (!old.binding || !ctx.setting('MIDDLEWARE').isDefault) return;
    const edits: TextEdit[] = [];
    for (const file of ctx.profile.filesRead) {
      const root = ctx.edit.rootOf(file);
      if (!root || !root.text.includes('MIDDLEWARE_CLASSES')) continue;
      for (const id of root.descendantsOfType('identifier')) if (id?.text === 'MIDDLEWARE_CLASSES') edits.push({ ...locOf(file, id), newText: 'MIDDLEWARE' });
    }
    ctx.report({
      setting: old,
      at: old.binding.stmt,
      message: 'MIDDLEWARE_CLASSES is ignored since Django 2.0 and MIDDLEWARE is not set: production runs without any middleware (no security headers, CSRF protection or sessions)',
      fixes: () => edits.length ? [{ title: 'Rename MIDDLEWARE_CLASSES to MIDDLEWARE', edits, safe: true }] : [],
    });
  },
};

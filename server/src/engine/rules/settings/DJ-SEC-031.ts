import { atLeast } from '../../project/djangoVersion';
import { pyRepr } from '../../settings/value';
import { SECURITY_MIDDLEWARE, describeSetting, hasMiddleware } from '../helpers';
import type { SettingsRule } from '../types';

export const rule: SettingsRule = {
  id: 'DJ-SEC-031',
  name: 'browser-xss-filter',
  family: 'settings',
  summary: 'SECURE_BROWSER_XSS_FILTER is obsolete (or, before Django 3.0, off)',
  defaultSeverity: 'hint',
  djangoChecks: ['security.W007'],
  docs: `Browsers dropped their XSS auditors, and Django 4.0 stopped sending \`X-XSS-Protection\`: the
setting does nothing and checklists that still ask for it are out of date. On Django before 3.0 the
header was still recommended (W007) and the rule reports it missing.

Before:
\`\`\`python
SECURE_BROWSER_XSS_FILTER = True
\`\`\`
After: delete the line.`,
  check(ctx) {
    const s = ctx.setting('SECURE_BROWSER_XSS_FILTER');
    const v = ctx.profile.version;
    if (atLeast(v, 4, 0)) {
      const binding = s.binding;
      const stmt = binding?.stmt;
      if (s.isDefault || !binding || !stmt) return;
      ctx.report({
        setting: s,
        at: stmt,
        message: `SECURE_BROWSER_XSS_FILTER has no effect since Django 4.0 (the X-XSS-Protection header was removed); delete it`,
        fixes: () => stmt.file === ctx.profile.module.path || !binding.imported
          ? [{ title: 'Remove obsolete SECURE_BROWSER_XSS_FILTER', edits: [ctx.edit.deleteStatement(stmt)], safe: true }]
          : [],
      });
      return;
    }
    if (atLeast(v, 3, 0)) return;
    if (hasMiddleware(ctx, SECURITY_MIDDLEWARE) !== true) return;
    if (s.value.kind === 'unknown' || (s.value.kind === 'bool' && s.value.value)) return;
    ctx.report({
      setting: s,
      severity: 'warning',
      message: `${describeSetting(s, pyRepr(s.value))}: no X-XSS-Protection header on Django ${v.major}.${v.minor}`,
      djangoChecks: ['security.W007'],
      fixes: () => ctx.edit.setValue(s, 'True', 'Send X-XSS-Protection'),
    });
  },
};

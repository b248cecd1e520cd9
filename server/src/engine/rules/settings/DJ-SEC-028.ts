import { pyRepr } from '../../settings/value';
import { XFRAME_MIDDLEWARE, describeSetting, hasMiddleware } from '../helpers';
import type { SettingsRule } from '../types';

export const rule: SettingsRule = {
  id: 'DJ-SEC-028',
  name: 'x-frame-options-not-deny',
  family: 'settings',
  summary: 'X_FRAME_OPTIONS is not DENY',
  defaultSeverity: 'warning',
  djangoChecks: ['security.W019'],
  docs: `\`X_FRAME_OPTIONS = "DENY"\` forbids every site, your own included, from framing your pages.
\`SAMEORIGIN\` is fine when your own pages frame each other (the admin's popups do not need it); any
other value (\`ALLOW-FROM\` is obsolete) is ignored by browsers. Django's default is DENY since 3.0.

Before:
\`\`\`python
X_FRAME_OPTIONS = "SAMEORIGIN"
\`\`\`
After:
\`\`\`python
X_FRAME_OPTIONS = "DENY"
\`\`\``,
  check(ctx) {
    if (hasMiddleware(ctx, XFRAME_MIDDLEWARE) !== true) return;
    const s = ctx.setting('X_FRAME_OPTIONS');
    const v = s.value;
    if (v.kind === 'unknown' || (v.kind === 'str' && v.value === 'DENY')) return;
    const sameOrigin = v.kind === 'str' && v.value.toUpperCase() === 'SAMEORIGIN';
    ctx.report({
      setting: s,
      severity: sameOrigin && !s.isDefault ? 'information' : 'warning',
      message: sameOrigin
        ? `${describeSetting(s, pyRepr(v))}: pages can be framed by your own origin; use DENY unless you frame them yourself`
        : `${describeSetting(s, pyRepr(v))}: browsers ignore this value, so pages can be framed by any site`,
      djangoChecks: ['security.W019'],
      fixes: () => ctx.edit.setValue(s, '"DENY"', 'Set X_FRAME_OPTIONS to DENY'),
    });
  },
};

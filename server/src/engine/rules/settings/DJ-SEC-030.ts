import { atLeast } from '../../project/djangoVersion';
import { pyRepr } from '../../settings/value';
import { SECURITY_MIDDLEWARE, hasMiddleware, whenUnset } from '../helpers';
import type { SettingsRule } from '../types';

const VALID = new Set(['same-origin', 'same-origin-allow-popups', 'unsafe-none']);

export const rule: SettingsRule = {
  id: 'DJ-SEC-030',
  name: 'cross-origin-opener-policy',
  family: 'settings',
  summary: 'SECURE_CROSS_ORIGIN_OPENER_POLICY is invalid or unsafe-none',
  defaultSeverity: 'error',
  djangoChecks: ['security.E024'],
  docs: `The Cross-Origin-Opener-Policy header (Django 4.0+, default \`same-origin\`) isolates your pages from
windows other sites open, which blocks cross-window attacks such as tabnabbing and XS-Leaks. Django
refuses values outside \`same-origin\`, \`same-origin-allow-popups\` and \`unsafe-none\` (E024);
\`unsafe-none\` switches the protection off and is reported as information.

Before:
\`\`\`python
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same_origin"
\`\`\`
After:
\`\`\`python
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
\`\`\``,
  check(ctx) {
    if (!atLeast(ctx.profile.version, 4, 0)) return;
    if (hasMiddleware(ctx, SECURITY_MIDDLEWARE) !== true) return;
    const s = ctx.setting('SECURE_CROSS_ORIGIN_OPENER_POLICY');
    const v = s.value;
    if (v.kind === 'unknown' || v.kind === 'none') return;
    const fixes = ctx.edit.setValue(s, '"same-origin"', 'Use the same-origin opener policy');
    if (v.kind === 'str' && VALID.has(v.value)) {
      if (v.value !== 'unsafe-none') return;
      ctx.report({ setting: s, severity: 'information', message: `SECURE_CROSS_ORIGIN_OPENER_POLICY is "unsafe-none"${whenUnset(v)}: other sites' windows can script yours`, fixes });
      return;
    }
    ctx.report({
      setting: s,
      message: `SECURE_CROSS_ORIGIN_OPENER_POLICY is ${pyRepr(v)}${whenUnset(v)}, which is not a valid policy (same-origin, same-origin-allow-popups, unsafe-none)`,
      djangoChecks: ['security.E024'],
      fixes,
    });
  },
};

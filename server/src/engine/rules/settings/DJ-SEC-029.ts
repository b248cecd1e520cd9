import { atLeast } from '../../project/djangoVersion';
import { isSequence, pyRepr } from '../../settings/value';
import { SECURITY_MIDDLEWARE, describeSetting, hasMiddleware } from '../helpers';
import type { SettingsRule } from '../types';

export const REFERRER_POLICIES = new Set([
  'no-referrer', 'no-referrer-when-downgrade', 'origin', 'origin-when-cross-origin', 'same-origin',
  'strict-origin', 'strict-origin-when-cross-origin', 'unsafe-url',
]);

export const rule: SettingsRule = {
  id: 'DJ-SEC-029',
  name: 'referrer-policy',
  family: 'settings',
  summary: 'SECURE_REFERRER_POLICY is None or not a valid policy',
  defaultSeverity: 'information',
  djangoChecks: ['security.W022', 'security.E023'],
  docs: `The Referrer-Policy header decides how much of your URLs (paths, tokens in query strings) other sites
see when users follow a link. Django sends \`same-origin\` by default since 3.1; setting it to \`None\`
removes the header, and a misspelt policy (Django accepts a comma-separated string or a list for
fallbacks) makes browsers ignore it.

Before:
\`\`\`python
SECURE_REFERRER_POLICY = "strict-origin-when-crossorigin"
\`\`\`
After:
\`\`\`python
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
\`\`\``,
  check(ctx) {
    // The setting and its checks arrived in Django 3.0.
    if (!atLeast(ctx.profile.version, 3, 0)) return;
    if (hasMiddleware(ctx, SECURITY_MIDDLEWARE) !== true) return;
    const s = ctx.setting('SECURE_REFERRER_POLICY');
    const v = s.value;
    const fix = () => ctx.edit.setValue(s, '"strict-origin-when-cross-origin"', 'Use the strict-origin-when-cross-origin referrer policy');
    if (v.kind === 'none') {
      ctx.report({
        setting: s,
        message: `${describeSetting(s, 'None')}: no Referrer-Policy header is sent, so full URLs leak to other sites`,
        djangoChecks: ['security.W022'],
        fixes: () => fix(),
      });
      return;
    }
    let values: string[] | undefined;
    if (v.kind === 'str') values = v.value.split(',').map((x) => x.trim());
    else if (isSequence(v) && !v.partial && v.items.every((i) => i.kind === 'str')) values = v.items.map((i) => (i as { value: string }).value);
    else if (v.kind === 'unknown') return;
    const invalid = values ? values.filter((x) => !REFERRER_POLICIES.has(x)) : [pyRepr(v)];
    if (invalid.length === 0) return;
    ctx.report({
      setting: s,
      severity: 'error',
      message: `SECURE_REFERRER_POLICY has an invalid value ${invalid.map((x) => JSON.stringify(x)).join(', ')}${s.value.env ? ' (the fallback)' : ''}: browsers ignore the header`,
      djangoChecks: ['security.E023'],
      fixes: () => fix(),
    });
  },
};

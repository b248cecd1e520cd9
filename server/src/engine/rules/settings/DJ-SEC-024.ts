import { pyRepr, truthy } from '../../settings/value';
import { SECURITY_MIDDLEWARE, describeSetting, hasMiddleware } from '../helpers';
import type { Fix, TextEdit } from '../../types';
import type { SettingsContext, SettingsRule } from '../types';

const ONE_YEAR = 31536000;

/**
 * The preload list needs all three values, so enabling preload alone would only trade W021 for the
 * preload-prerequisites warning: set max-age and includeSubDomains with it. Sending the directive
 * does not submit the domain (that is a manual step at hstspreload.org), so the fix is safe.
 */
function preloadFix(ctx: SettingsContext): Fix[] {
  const seconds = ctx.setting('SECURE_HSTS_SECONDS');
  const sub = ctx.setting('SECURE_HSTS_INCLUDE_SUBDOMAINS');
  const edits: TextEdit[] = [...(ctx.edit.setValue(ctx.setting('SECURE_HSTS_PRELOAD'), 'True', '')[0]?.edits ?? [])];
  if (!(seconds.value.kind === 'int' && seconds.value.value >= ONE_YEAR)) edits.push(...(ctx.edit.setValue(seconds, String(ONE_YEAR), '')[0]?.edits ?? []));
  if (!(sub.value.kind === 'bool' && sub.value.value)) edits.push(...(ctx.edit.setValue(sub, 'True', '')[0]?.edits ?? []));
  return edits.length ? [{ title: 'Enable HSTS preload (one-year max-age, subdomains included)', edits, safe: true }] : [];
}

export const rule: SettingsRule = {
  id: 'DJ-SEC-024',
  name: 'hsts-preload',
  family: 'settings',
  summary: 'HSTS preload is off, or on without what the preload list requires',
  defaultSeverity: 'information',
  djangoChecks: ['security.W021'],
  docs: `Browsers ship a list of domains that are HTTPS-only from the very first visit. To be accepted a site
sends \`preload\`, a max-age of at least one year and \`includeSubDomains\`. The rule reports a missing
\`SECURE_HSTS_PRELOAD\` (Django's W021) and, as a warning, a preload flag set without the other two.

Before:
\`\`\`python
SECURE_HSTS_SECONDS = 3600
SECURE_HSTS_PRELOAD = True
\`\`\`
After:
\`\`\`python
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
\`\`\``,
  check(ctx) {
    if (hasMiddleware(ctx, SECURITY_MIDDLEWARE) !== true) return;
    const seconds = ctx.setting('SECURE_HSTS_SECONDS');
    if (truthy(seconds.value) !== true) return;
    const preload = ctx.setting('SECURE_HSTS_PRELOAD');
    const p = preload.value;
    if (p.kind === 'unknown') return;
    if (!(p.kind === 'bool' && p.value)) {
      ctx.report({
        setting: preload,
        message: `${describeSetting(preload, pyRepr(p))}: the domain cannot be submitted to the browsers' HSTS preload list`,
        djangoChecks: ['security.W021'],
        fixes: () => preloadFix(ctx),
      });
      return;
    }
    const sub = ctx.setting('SECURE_HSTS_INCLUDE_SUBDOMAINS').value;
    const sv = seconds.value;
    const short = sv.kind === 'int' && sv.value < ONE_YEAR;
    const noSub = sub.kind === 'bool' ? !sub.value : sub.kind !== 'unknown';
    if (!short && !noSub) return;
    const missing = [short ? `a max-age of at least ${ONE_YEAR} seconds` : '', noSub ? 'includeSubDomains' : ''].filter(Boolean).join(' and ');
    ctx.report({
      setting: preload,
      severity: 'warning',
      message: `SECURE_HSTS_PRELOAD is True but the preload list also requires ${missing}`,
      fixes: () => [
        {
          title: 'Set the HSTS values the preload list requires',
          edits: [
            ...(short ? (ctx.edit.setValue(seconds, String(ONE_YEAR), '')[0]?.edits ?? []) : []),
            ...(noSub ? (ctx.edit.setValue(ctx.setting('SECURE_HSTS_INCLUDE_SUBDOMAINS'), 'True', '')[0]?.edits ?? []) : []),
          ],
          safe: false,
        },
      ],
    });
  },
};

import { atLeast } from '../../project/djangoVersion';
import { dictGetStr, isSequence, pyRepr, stringItems, truthy, type Value } from '../../settings/value';
import { hasMiddleware } from '../helpers';
import type { SettingsRule } from '../types';

const CSP_MIDDLEWARE = 'django.middleware.csp.ContentSecurityPolicyMiddleware';
const DJANGO_CSP_MIDDLEWARE = 'csp.middleware.CSPMiddleware';

function strings(v: Value | undefined): string[] {
  if (!v) return [];
  if (v.kind === 'str') return [v.value];
  if (isSequence(v)) return v.items.flatMap((i) => (i.kind === 'str' ? [i.value] : []));
  return [];
}

export const rule: SettingsRule = {
  id: 'DJ-SEC-032',
  name: 'content-security-policy',
  family: 'settings',
  summary: 'No Content-Security-Policy, or a CSP setting Django rejects or that allows inline scripts',
  defaultSeverity: 'hint',
  djangoChecks: ['security.E026', 'security.W027'],
  docs: `A Content-Security-Policy tells browsers which scripts, styles and frames a page may load, the main
defence in depth against XSS. Django 6.0 ships it (\`SECURE_CSP\`, \`SECURE_CSP_REPORT_ONLY\`,
\`ContentSecurityPolicyMiddleware\`); before that django-csp provides it. Each policy setting must be a
dict (E026); a policy that uses nonces needs the \`csp\` context processor to render them (W027, 6.1);
\`'unsafe-inline'\` in \`script-src\` gives most of the protection away.

Before:
\`\`\`python
SECURE_CSP = "default-src 'self'"
\`\`\`
After:
\`\`\`python
SECURE_CSP = {"default-src": [CSP.SELF]}
\`\`\``,
  check(ctx) {
    const v = ctx.profile.version;
    const policies = ['SECURE_CSP', 'SECURE_CSP_REPORT_ONLY', 'CONTENT_SECURITY_POLICY'].map((n) => ctx.setting(n));
    if (atLeast(v, 6, 0)) {
      for (const p of policies.slice(0, 2)) {
        if (p.isDefault || truthy(p.value) !== true || p.value.kind === 'dict') continue;
        ctx.report({ setting: p, severity: 'error', message: `${p.name} is ${pyRepr(p.value)}: Django needs a dict of directives`, djangoChecks: ['security.E026'] });
      }
    }
    const dicts = policies.filter((p) => p.value.kind === 'dict');
    for (const p of dicts) {
      const scriptSrc = strings(dictGetStr(p.value, 'script-src') ?? dictGetStr(p.value, 'DIRECTIVES') ?? dictGetStr(p.value, 'default-src'));
      if (scriptSrc.some((s) => s === "'unsafe-inline'" || s === 'unsafe-inline')) {
        ctx.report({ setting: p, severity: 'warning', message: `${p.name} allows 'unsafe-inline' scripts: injected <script> tags run, which is what CSP is meant to stop` });
      }
    }
    if (atLeast(v, 6, 1) && hasMiddleware(ctx, CSP_MIDDLEWARE) === true) {
      const usesNonce = dicts.some((p) => JSON.stringify(p.value, (k, val) => (k === 'src' || k === 'env' ? undefined : val)).includes('nonce'));
      if (usesNonce) {
        const templates = ctx.setting('TEMPLATES').value;
        const processors = isSequence(templates) ? templates.items.flatMap((e) => stringItems(dictGetStr(dictGetStr(e, 'OPTIONS'), 'context_processors')) ?? []) : undefined;
        if (processors && !processors.includes('django.template.context_processors.csp')) {
          ctx.report({ setting: ctx.setting('TEMPLATES'), severity: 'warning', message: 'A CSP policy uses nonces but "django.template.context_processors.csp" is not in TEMPLATES: templates cannot render the nonce', djangoChecks: ['security.W027'] });
        }
      }
    }
    if (atLeast(v, 6, 0)) {
      const builtIn = hasMiddleware(ctx, CSP_MIDDLEWARE) === true && policies.slice(0, 2).some((p) => truthy(p.value) === true);
      const thirdParty = hasMiddleware(ctx, DJANGO_CSP_MIDDLEWARE) === true;
      if (!builtIn && !thirdParty && hasMiddleware(ctx, CSP_MIDDLEWARE) !== undefined && !dicts.length) {
        ctx.report({ setting: policies[0]!, message: 'No Content-Security-Policy: start with SECURE_CSP_REPORT_ONLY and ContentSecurityPolicyMiddleware to see what a policy would block' });
      }
    }
  },
};

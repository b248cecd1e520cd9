import { dictGetStr } from '../../settings/value';
import type { Fix, TextEdit } from '../../types';
import { whenUnset } from '../helpers';
import { DEV_BACKENDS, SMTP_BACKEND } from '../ops/email';
import { envGet, envInt, insertNear, prodStatement, replaceFallback, siteDomain, strOf, styled, versionAtLeast } from '../ops/support';
import type { SettingsContext, SettingsRule } from '../types';

const WHAT: Record<string, string> = {
  console: 'printed to the console instead of sent',
  dummy: 'silently discarded',
  locmem: 'kept in memory instead of sent',
  filebased: 'written to files instead of sent',
};

/** Switch to SMTP and add the SMTP settings production lacks, read from the environment. */
function smtpFix(ctx: SettingsContext): Fix[] {
  const backend = ctx.setting('EMAIL_BACKEND');
  const edits: TextEdit[] = [];
  const lines: string[] = [];
  const smtp = styled(ctx, [`"${SMTP_BACKEND}"`])[0]!;
  const fallback = replaceFallback(ctx, backend.value, SMTP_BACKEND);
  if (fallback && fallback.file === ctx.profile.module.path) edits.push(fallback);
  else if (prodStatement(ctx, backend) && backend.binding?.rhs && !backend.value.env) edits.push({ ...backend.binding.rhs, newText: smtp });
  else lines.push(`EMAIL_BACKEND = ${smtp}`);
  const imports: string[] = [];
  const add = (name: string, code: { text: string; imports: string[] }) => {
    if (!ctx.setting(name).isDefault) return;
    lines.push(`${name} = ${code.text}`);
    imports.push(...code.imports);
  };
  add('EMAIL_HOST', ctx.edit.envRequired('EMAIL_HOST'));
  add('EMAIL_PORT', envInt(ctx.edit, 'EMAIL_PORT', 587));
  if (ctx.setting('EMAIL_USE_SSL').isDefault) add('EMAIL_USE_TLS', { text: 'True', imports: [] });
  add('EMAIL_HOST_USER', ctx.edit.envRequired('EMAIL_HOST_USER'));
  add('EMAIL_HOST_PASSWORD', ctx.edit.envRequired('EMAIL_HOST_PASSWORD'));
  add('EMAIL_TIMEOUT', { text: '10', imports: [] });
  const domain = siteDomain(ctx);
  const fromName = ctx.edit.envName('DEFAULT_FROM_EMAIL');
  add('DEFAULT_FROM_EMAIL', domain ? envGet(ctx.edit, fromName, `"noreply@${domain}"`) : ctx.edit.envRequired(fromName));
  if (!ctx.setting('DEFAULT_FROM_EMAIL').isDefault || lines.some((l) => l.startsWith('DEFAULT_FROM_EMAIL'))) add('SERVER_EMAIL', { text: 'DEFAULT_FROM_EMAIL', imports: [] });
  if (lines.length) edits.push(...insertNear(ctx, ['EMAIL_BACKEND'], styled(ctx, lines), [...new Set(imports)]));
  return edits.length ? [{ title: 'Send email over SMTP with TLS, configured from EMAIL_* variables', edits, safe: true }] : [];
}

export const rule: SettingsRule = {
  id: 'DJ-OPS-017',
  name: 'email-backend-not-sending',
  family: 'settings',
  summary: 'Production uses a development email backend (console, dummy, locmem, file)',
  defaultSeverity: 'warning',
  djangoChecks: ['mail.E001'],
  docs: `The console, dummy, locmem and file-based email backends exist for development: in production,
password resets, sign-up confirmations and error reports are printed, dropped or written to disk and
never reach anyone. Django 6.1 refuses them in deployment checks (mail.E001, Error). The fix switches
to SMTP and adds the SMTP settings production lacks, read from \`EMAIL_HOST\`, \`EMAIL_PORT\`,
\`EMAIL_HOST_USER\` and \`EMAIL_HOST_PASSWORD\`, with STARTTLS, a timeout and a sender address of the site's domain.

Before:
\`\`\`python
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
\`\`\`
After:
\`\`\`python
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ["EMAIL_HOST"]
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_USE_TLS = True
EMAIL_HOST_USER = os.environ["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = os.environ["EMAIL_HOST_PASSWORD"]
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@example.com")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
\`\`\``,
  check(ctx) {
    const e001 = versionAtLeast(ctx, 6, 1);
    const mailers = ctx.setting('MAILERS');
    if (e001 && !mailers.isDefault) {
      const backend = dictGetStr(dictGetStr(mailers.value, 'default'), 'BACKEND');
      const name = strOf(backend);
      if (name && DEV_BACKENDS.includes(name)) {
        const kind = name.split('.')[4]!;
        ctx.report({
          setting: mailers,
          at: backend?.env?.fallback ?? backend?.src,
          severity: 'error',
          djangoChecks: ['mail.E001'],
          message: `MAILERS["default"] uses the ${kind} backend${whenUnset(backend!)}: production email is ${WHAT[kind]}`,
          fixes: () => backend?.src && !backend.env ? [{ title: 'Use the SMTP backend', edits: [{ ...backend.src, newText: styled(ctx, [`"${SMTP_BACKEND}"`])[0]! }], safe: true }] : [],
        });
      }
      return;
    }
    const backend = ctx.setting('EMAIL_BACKEND');
    const name = strOf(backend.value);
    if (!name || !DEV_BACKENDS.includes(name)) return;
    const kind = name.split('.')[4]!;
    ctx.report({
      setting: backend,
      severity: e001 ? 'error' : 'warning',
      djangoChecks: e001 ? ['mail.E001'] : [],
      message: `EMAIL_BACKEND is the ${kind} backend${whenUnset(backend.value)}: password resets and error reports are ${WHAT[kind]}`,
      fixes: () => smtpFix(ctx),
    });
  },
};

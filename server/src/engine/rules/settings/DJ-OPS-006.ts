import { type Value, dictGetStr, isSequence } from '../../settings/value';
import type { Fix } from '../../types';
import { smtpHost, usesSmtp } from '../ops/email';
import { handlerNames, loggers, loggingConfig, section } from '../ops/logging';
import { envGet, insertNear, siteDomain, strOf, styled, versionAtLeast } from '../ops/support';
import type { SettingsContext, SettingsRule } from '../types';

/** ADMINS that is certainly empty: unset, or an empty literal (an environment read is the operator's). */
function adminsEmpty(v: Value, isDefault: boolean): boolean {
  if (isDefault) return true;
  return isSequence(v) && v.items.length === 0 && !v.partial && !v.env;
}

function adminsFix(ctx: SettingsContext): Fix[] {
  const name = ctx.edit.envName('ADMINS');
  const strings = versionAtLeast(ctx, 6, 0);
  let text: string;
  let imports: string[] = [];
  switch (ctx.edit.idiom) {
    case 'environ':
      text = strings ? `${ctx.edit.environName}.list("${name}", default=[])` : `[("Admin", email) for email in ${ctx.edit.environName}.list("${name}", default=[])]`;
      break;
    case 'decouple':
      text = strings ? `config("${name}", default="", cast=Csv())` : `[("Admin", email) for email in config("${name}", default="", cast=Csv())]`;
      imports = ['from decouple import Csv'];
      break;
    default:
      text = strings
        ? `[email.strip() for email in os.environ.get("${name}", "").split(",") if email.strip()]`
        : `[("Admin", email.strip()) for email in os.environ.get("${name}", "").split(",") if email.strip()]`;
      imports = ['import os'];
  }
  return ctx.edit.setValue(ctx.setting('ADMINS'), styled(ctx, [text])[0]!, `Read ADMINS from the ${name} variable (comma-separated emails)`, imports);
}

export const rule: SettingsRule = {
  id: 'DJ-OPS-006',
  name: 'error-mail-unaddressed',
  family: 'settings',
  summary: 'Error emails go to an empty ADMINS, or are sent from a localhost address',
  defaultSeverity: 'information',
  djangoChecks: [],
  docs: `\`django.utils.log.AdminEmailHandler\` mails every server error to \`ADMINS\`; with \`ADMINS\` empty nobody
receives them. When production sends mail over SMTP, \`SERVER_EMAIL\` (sender of error mails, default
\`root@localhost\`) and \`DEFAULT_FROM_EMAIL\` (default \`webmaster@localhost\`) should be real addresses of
your domain, or providers reject or spam-file the messages (Hint).

Before:
\`\`\`python
LOGGING = {..., "handlers": {"mail_admins": {"class": "django.utils.log.AdminEmailHandler"}}, ...}
\`\`\`
After:
\`\`\`python
ADMINS = [("Admin", email.strip()) for email in os.environ.get("DJANGO_ADMINS", "").split(",") if email.strip()]
\`\`\``,
  check(ctx) {
    const cfg = loggingConfig(ctx);
    const admins = ctx.setting('ADMINS');
    if (cfg && !cfg.incremental && adminsEmpty(admins.value, admins.isDefault)) {
      const handlers = section(cfg.value, 'handlers') ?? [];
      const used = new Set((loggers(cfg.value) ?? []).flatMap((l) => handlerNames(l.value) ?? []));
      const mail = handlers.find((h) => used.has(h.name) && strOf(dictGetStr(h.value, 'class')) === 'django.utils.log.AdminEmailHandler');
      if (mail) {
        ctx.report({
          setting: admins,
          message: `LOGGING handler "${mail.name}" emails errors to ADMINS, which is empty: nobody receives them`,
          fixes: () => adminsFix(ctx),
        });
      }
    }
    if (usesSmtp(ctx) !== true || smtpHost(ctx)?.kind !== 'remote') return;
    const from = ctx.setting('DEFAULT_FROM_EMAIL');
    const server = ctx.setting('SERVER_EMAIL');
    if (from.isDefault) {
      const domain = siteDomain(ctx);
      const name = ctx.edit.envName('DEFAULT_FROM_EMAIL');
      const read = domain ? envGet(ctx.edit, name, `"noreply@${domain}"`) : undefined;
      ctx.report({
        setting: from,
        severity: 'hint',
        message: 'DEFAULT_FROM_EMAIL is not set: mail goes out from webmaster@localhost, which mail providers reject or mark as spam',
        fixes: () => read ? [{ title: `Send from noreply@${domain} (${name} overrides)`, edits: insertNear(ctx, ['EMAIL_HOST_USER', 'EMAIL_HOST', 'EMAIL_BACKEND'], styled(ctx, [`DEFAULT_FROM_EMAIL = ${read.text}`]), read.imports), safe: true }] : [],
      });
    }
    if (server.isDefault) {
      ctx.report({
        setting: server,
        severity: 'hint',
        message: 'SERVER_EMAIL is not set: error mails go out from root@localhost, which mail providers reject or mark as spam',
        fixes: () => from.isDefault ? [] : [{ title: 'Send error mails from DEFAULT_FROM_EMAIL', edits: insertNear(ctx, ['DEFAULT_FROM_EMAIL'], ['SERVER_EMAIL = DEFAULT_FROM_EMAIL']), safe: true }],
      });
    }
  },
};

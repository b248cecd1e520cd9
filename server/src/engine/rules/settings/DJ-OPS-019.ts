import { smtpHost, usesSmtp } from '../ops/email';
import { assignEdits } from '../ops/support';
import type { SettingsRule } from '../types';

export const rule: SettingsRule = {
  id: 'DJ-OPS-019',
  name: 'email-timeout',
  family: 'settings',
  summary: 'SMTP is configured without EMAIL_TIMEOUT',
  defaultSeverity: 'hint',
  djangoChecks: [],
  docs: `\`EMAIL_TIMEOUT\` defaults to None: when the SMTP server stops answering, the request sending a password
reset (or the error report of a 500) blocks its worker until the operating system gives up, and a
few such requests exhaust the workers.

Before:
\`\`\`python
EMAIL_HOST = os.environ["EMAIL_HOST"]
\`\`\`
After:
\`\`\`python
EMAIL_HOST = os.environ["EMAIL_HOST"]
EMAIL_TIMEOUT = 10
\`\`\``,
  check(ctx) {
    if (usesSmtp(ctx) !== true) return;
    const configured = smtpHost(ctx)?.kind === 'remote' || !ctx.setting('EMAIL_BACKEND').isDefault;
    if (!configured) return;
    const timeout = ctx.setting('EMAIL_TIMEOUT');
    if (!timeout.isDefault && timeout.value.kind !== 'none') return;
    ctx.report({
      setting: timeout,
      message: 'SMTP has no EMAIL_TIMEOUT: a mail server that stops answering blocks the worker sending the message indefinitely',
      fixes: () => {
        const edits = assignEdits(ctx, [['EMAIL_TIMEOUT', '10']], ['EMAIL_HOST_PASSWORD', 'EMAIL_HOST_USER', 'EMAIL_PORT', 'EMAIL_HOST', 'EMAIL_BACKEND']);
        return edits.length ? [{ title: 'Give up on SMTP after 10 seconds', edits, safe: true }] : [];
      },
    });
  },
};

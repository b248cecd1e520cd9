import { truthy } from '../../settings/value';
import type { Fix } from '../../types';
import { whenUnset } from '../helpers';
import { smtpHost, usesSmtp } from '../ops/email';
import { assignEdits, envInt, valueOf } from '../ops/support';
import type { SettingsContext, SettingsRule } from '../types';

const ANCHORS = ['EMAIL_PORT', 'EMAIL_HOST', 'EMAIL_BACKEND'];

function fix(ctx: SettingsContext, title: string, pairs: [string, string][], imports: string[] = []): Fix[] {
  const edits = assignEdits(ctx, pairs, ANCHORS, imports);
  return edits.length ? [{ title, edits, safe: true }] : [];
}

export const rule: SettingsRule = {
  id: 'DJ-OPS-018',
  name: 'email-without-tls',
  family: 'settings',
  summary: 'SMTP to a remote server without TLS, with both TLS modes, or with the wrong port for the mode',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `Without \`EMAIL_USE_TLS\` (STARTTLS, port 587) or \`EMAIL_USE_SSL\` (implicit TLS, port 465), the SMTP
password and every message cross the network in clear text. Both on at once makes the SMTP backend
raise ValueError when it sends (Error). STARTTLS on port 465, or implicit TLS on 587, hangs or fails
the connection. Hosts on the same machine (localhost, a socket) are exempt.

Before:
\`\`\`python
EMAIL_HOST = "smtp.example.com"
\`\`\`
After:
\`\`\`python
EMAIL_HOST = "smtp.example.com"
EMAIL_USE_TLS = True
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
\`\`\``,
  check(ctx) {
    if (usesSmtp(ctx) !== true) return;
    const host = smtpHost(ctx);
    if (host?.kind !== 'remote') return;
    const tls = ctx.setting('EMAIL_USE_TLS');
    const ssl = ctx.setting('EMAIL_USE_SSL');
    const port = ctx.setting('EMAIL_PORT');
    const t = truthy(valueOf(ctx, 'EMAIL_USE_TLS'));
    const s = truthy(valueOf(ctx, 'EMAIL_USE_SSL'));
    if (t === undefined || s === undefined) return;
    const p = port.isDefault ? 25 : port.value.kind === 'int' ? port.value.value : undefined;
    const server = host.name ? `"${host.name}"` : 'the SMTP server';
    if (t && s) {
      ctx.report({
        setting: ssl,
        severity: 'error',
        message: 'EMAIL_USE_TLS and EMAIL_USE_SSL are both on: the SMTP backend raises ValueError and no email is sent',
        fixes: () => p === 465 ? fix(ctx, 'Use implicit TLS only (port 465)', [['EMAIL_USE_TLS', 'False']]) : fix(ctx, 'Use STARTTLS only', [['EMAIL_USE_SSL', 'False']]),
      });
    } else if (!t && !s) {
      const read = envInt(ctx.edit, 'EMAIL_PORT', 587);
      const pairs: [string, string][] = p === 465 ? [['EMAIL_USE_SSL', 'True']] : [['EMAIL_USE_TLS', 'True'], ...(port.isDefault ? ([['EMAIL_PORT', read.text]] as [string, string][]) : [])];
      ctx.report({
        setting: tls,
        message: `Email goes to ${server} without TLS${tls.isDefault ? '' : whenUnset(tls.value)}: the SMTP password and every message cross the network in clear text`,
        fixes: () => fix(ctx, p === 465 ? 'Use implicit TLS (EMAIL_USE_SSL)' : 'Use STARTTLS (EMAIL_USE_TLS) on port 587', pairs, port.isDefault && p !== 465 ? read.imports : []),
      });
    } else if (t && p === 465) {
      ctx.report({ setting: port, message: 'EMAIL_USE_TLS (STARTTLS) on port 465, which expects implicit TLS: connections hang or fail', fixes: () => fix(ctx, 'Use implicit TLS (EMAIL_USE_SSL) on port 465', [['EMAIL_USE_TLS', 'False'], ['EMAIL_USE_SSL', 'True']]) });
    } else if (s && p === 587) {
      ctx.report({ setting: port, message: 'EMAIL_USE_SSL (implicit TLS) on port 587, which expects STARTTLS: connections hang or fail', fixes: () => fix(ctx, 'Use STARTTLS (EMAIL_USE_TLS) on port 587', [['EMAIL_USE_SSL', 'False'], ['EMAIL_USE_TLS', 'True']]) });
    }
  },
};

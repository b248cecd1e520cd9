import { credentialSeverity, settingsFiles } from '../settingsFiles';
import type { ProjectRule } from '../types';
import type { Fix } from '../../types';
import { findToken } from './patterns';
import { sitesOf } from './sites';

/** `postgres://user:pass@host/db` → `postgres://host/db`. */
function withoutCredentials(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/\s@]*@/i, '$1');
}

export const rule: ProjectRule = {
  id: 'DJ-SEC-010',
  name: 'leaked-token',
  family: 'project',
  summary: 'A string looks like a live API key, private key, JWT or URL with a password',
  defaultSeverity: 'error',
  djangoChecks: [],
  docs: `Whatever it is assigned to, a string shaped like an AWS key id, a Stripe/Razorpay live key, a Slack,
GitHub, Google, SendGrid, Twilio or Mailgun key, a PEM private key, a JWT, a Sentry DSN with its key,
or a URL with a password (\`postgres://user:pass@host\`) is a credential in the repository. Revoke it,
then read it from the environment. Test keys are warnings.

Before:
\`\`\`python
DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://app:s3cret@db:5432/app")
\`\`\`
After:
\`\`\`python
DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://db:5432/app")
\`\`\``,
  check(ctx) {
    for (const file of settingsFiles(ctx)) {
      const found = sitesOf(ctx, file.module.path);
      if (!found) continue;
      const sites = found.sites;
      for (const lit of found.literals) {
        const token = findToken(lit.text);
        if (!token) continue;
        const site = sites.find((s) => s.literalAt.range.start.line === lit.at.range.start.line && s.literalAt.range.start.character === lit.at.range.start.character);
        const isUrl = token.kind.startsWith('URL');
        const fixes = (): Fix[] => {
          if (isUrl && site?.fallback) {
            return [{ title: 'Drop the credentials from the default URL', edits: [{ ...lit.at, newText: JSON.stringify(withoutCredentials(lit.text)) }], safe: true }];
          } else if (site && !site.fallback) {
            const envName = site.kind === 'dict-key' && site.parent ? `${site.parent.replace(/S$/, '')}_${site.name}`.toUpperCase() : site.name.toUpperCase();
            const read = file.edit.envRequired(envName);
            return [{ title: `Read ${site.name} from ${envName} (required)`, edits: [{ ...site.valueAt, newText: read.text }, ...file.edit.importEdits(read.imports, site.valueAt.file)], safe: true }];
          } else if (site?.fallback) {
            const read = file.edit.envRequired(site.envName!);
            return [{ title: `Require ${site.envName} instead of a default`, edits: [{ ...site.valueAt, newText: read.text }, ...file.edit.importEdits(read.imports, site.valueAt.file)], safe: true }];
          }
          return [];
        };
        ctx.report({
          file: lit.at.file,
          range: lit.at.range,
          severity: credentialSeverity(file.role, token.severity),
          message: token.kind === 'URL with a placeholder password'
            ? `This URL has a placeholder password${site?.envName ? `, used whenever ${site.envName} is unset` : ''}: make sure production reads the real URL from the environment`
            : token.kind.startsWith('development')
              ? `This default URL carries a password${site?.envName ? `: production uses it whenever ${site.envName} is unset` : ''}; keep credentials out of the source`
              : `This string contains a ${token.kind}: revoke it and read it from the environment`,
          fixes,
        });
      }
    }
  },
};

import { basename } from 'node:path';
import { models } from '../../deploy/context';
import { isPlaceholder } from '../../deploy/envfile';
import type { ProjectRule } from '../types';

export function looksReal(key: string, value: string): string | undefined {
  const v = value.trim();
  if (isPlaceholder(v)) return undefined;
  if (/SECRET_KEY$/i.test(key) && (v.startsWith('django-insecure-') || (v.length >= 50 && new Set(v).size >= 5))) return 'a Django secret key';
  if (/AKIA[0-9A-Z]{16}/.test(v)) return 'an AWS access key';
  if (/\bsk_live_[0-9A-Za-z]{8,}/.test(v) || /\brzp_live_/.test(v)) return 'a live payment API key';
  if (/\b(ghp_|github_pat_)[0-9A-Za-z_]{20,}/.test(v)) return 'a GitHub token';
  if (/\bxox[bp]-/.test(v)) return 'a Slack token';
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(v)) return 'a private key';
  const url = /:\/\/[^/@\s:]*:([^/@\s]+)@/.exec(v);
  if (url && !isPlaceholder(url[1]!) && !/^(password|postgres|pass|secret|changeme)$/i.test(url[1]!)) return 'a URL with a password';
  if (/DSN$/i.test(key) && /^https:\/\/[0-9a-f]{32}@/.test(v)) return 'a Sentry DSN';
  return undefined;
}

export const rule: ProjectRule = {
  id: 'ENV-EXAMPLE-REAL-SECRET',
  name: 'env-example-real-secret',
  family: 'project',
  summary: 'The committed .env.example holds what looks like a real secret',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `\`.env.example\` is committed on purpose, so anything in it is public: a 50-character secret key, a
\`django-insecure-\` key, AWS/Stripe/GitHub/Slack tokens, private keys, a database URL with a
password, a Sentry DSN with its key. Keep placeholder values there and the real ones in the
untracked \`.env\` (then rotate whatever was committed).

Before:
\`\`\`
DJANGO_SECRET_KEY=django-insecure-8v$k2@q!x7m#p0w^z3r&t9y*u6i(o1e)a4s5d
\`\`\`
After:
\`\`\`
DJANGO_SECRET_KEY=change-me
\`\`\``,
  check(ctx) {
    for (const env of models(ctx).envFiles) {
      if (!env.example) continue;
      for (const e of env.entries) {
        const what = looksReal(e.key, e.value);
        if (!what) continue;
        ctx.report({
          file: env.path,
          range: e.valueRange,
          message: `${e.key} in ${basename(env.path)} looks like ${what}: example files are committed, so it is public`,
          fixes: () => [{ title: 'Replace it with a placeholder', edits: [{ file: env.path, range: e.valueRange, newText: 'change-me' }], safe: true }],
        });
      }
    }
  },
};

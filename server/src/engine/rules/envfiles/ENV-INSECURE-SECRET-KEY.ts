import { randomInt } from 'node:crypto';
import { basename } from 'node:path';
import { isPlaceholder } from '../../deploy/envfile';
import { productionEnvFiles } from '../../deploy/envkit';
import type { ProjectRule } from '../types';

// Django's key alphabet without `$` (compose interpolates it) and `#` (some dotenv parsers read a comment).
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789!@%^&*(-_=+)';

export function generateSecretKey(): string {
  let s = '';
  for (let i = 0; i < 50; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}

export const rule: ProjectRule = {
  id: 'ENV-INSECURE-SECRET-KEY',
  name: 'env-insecure-secret-key',
  family: 'project',
  summary: "A production env file's SECRET_KEY is the insecure default, short or low-entropy",
  defaultSeverity: 'error',
  djangoChecks: [],
  docs: `Django signs sessions, password-reset links and CSRF tokens with \`SECRET_KEY\`. A key starting with
\`django-insecure-\` (startproject's development key), shorter than 50 characters or with fewer than
5 distinct characters fails Django's own security.W009 thresholds and can be guessed or is already
public. The fix writes a fresh 50-character key without \`$\` and \`#\`, single-quoted; rotate it
anywhere the old one was used.

Before (.env.production):
\`\`\`
DJANGO_SECRET_KEY=django-insecure-abc123
\`\`\`
After:
\`\`\`
DJANGO_SECRET_KEY='x3%k...50 characters...'
\`\`\``,
  check(ctx) {
    for (const { env, severity } of productionEnvFiles(ctx)) {
      for (const e of env.entries) {
        if (!/^(DJANGO_)?SECRET_KEY$/i.test(e.key) || isPlaceholder(e.value) && e.value.trim() !== '') continue;
        const v = e.value;
        const why = v.startsWith('django-insecure-') ? 'is the django-insecure- development key' : v.length < 50 ? `is ${v.length} characters long (Django asks for at least 50)` : new Set(v).size < 5 ? 'has fewer than 5 distinct characters' : undefined;
        if (!why) continue;
        ctx.report({
          file: env.path,
          range: e.valueRange,
          severity,
          message: `${e.key} in ${basename(env.path)} ${why}: sessions and password-reset tokens can be forged`,
          fixes: () => [{ title: 'Generate a new secret key', edits: [{ file: env.path, range: e.valueRange, newText: `'${generateSecretKey()}'` }], safe: false }],
        });
      }
    }
  },
};

import { LiteralEditor, py } from '../../fixes/literalEdit';
import { atLeast } from '../../project/djangoVersion';
import { normalizeDistName } from '../../project/model';
import { isSequence } from '../../settings/value';
import type { SettingsRule } from '../types';

const H = 'django.contrib.auth.hashers';
const WEAK = new Set(['MD5PasswordHasher', 'UnsaltedMD5PasswordHasher', 'SHA1PasswordHasher', 'UnsaltedSHA1PasswordHasher', 'CryptPasswordHasher'].map((n) => `${H}.${n}`));
const PBKDF2 = `${H}.PBKDF2PasswordHasher`;
const ARGON2 = `${H}.Argon2PasswordHasher`;

export const rule: SettingsRule = {
  id: 'DJ-SEC-045',
  name: 'weak-password-hasher',
  family: 'settings',
  summary: 'New passwords are stored with a weak hasher, or PASSWORD_HASHERS is empty',
  defaultSeverity: 'error',
  djangoChecks: [],
  docs: `Django hashes new and changed passwords with the first entry of \`PASSWORD_HASHERS\`. MD5, SHA1 (salted
or not) and Crypt hashes are cracked at billions of guesses per second once the database leaks; they
belong in test settings only. An empty list makes every login raise \`ImproperlyConfigured\`. Putting
PBKDF2 first keeps the old hasher available, so existing hashes still verify and are upgraded when
users log in. With \`argon2-cffi\` in the requirements, a hint suggests Argon2 first.

Before:
\`\`\`python
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
\`\`\`
After:
\`\`\`python
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.MD5PasswordHasher",
]
\`\`\``,
  check(ctx) {
    const s = ctx.setting('PASSWORD_HASHERS');
    const lit = new LiteralEditor(ctx.edit);
    const argon2 = ctx.profile.project.requirementNames.has(normalizeDistName('argon2-cffi'));
    if (s.isDefault) {
      if (!argon2) return;
      const list = [ARGON2, PBKDF2, `${H}.PBKDF2SHA1PasswordHasher`, `${H}.BCryptSHA256PasswordHasher`, ...(atLeast(ctx.profile.version, 4, 0) ? [`${H}.ScryptPasswordHasher`] : [])];
      ctx.report({
        setting: s,
        severity: 'hint',
        message: 'argon2-cffi is installed but PASSWORD_HASHERS is not set, so new passwords use PBKDF2 rather than Argon2',
        fixes: () => lit.setValue(s, py.strs(...list), 'Hash new passwords with Argon2'),
      });
      return;
    }
    const v = s.value;
    if (!isSequence(v) || v.env) return;
    if (v.items.length === 0 && !v.partial) {
      ctx.report({
        setting: s,
        message: 'PASSWORD_HASHERS is empty: every login and password change raises ImproperlyConfigured',
        fixes: () => lit.setValue(s, py.strs(PBKDF2), 'Use the PBKDF2 hasher'),
      });
      return;
    }
    const first = v.items[0];
    if (!first || first.kind !== 'str') return;
    if (WEAK.has(first.value)) {
      ctx.report({
        setting: s,
        at: first.src,
        message: `PASSWORD_HASHERS starts with ${first.value.split('.').pop()}: new passwords are stored with a hash that is cracked at billions of guesses per second`,
        fixes: () => lit.insertItems(s, [py.str(PBKDF2)], 'Hash new passwords with PBKDF2 (old hashes still verify)', { before: first }),
      });
      return;
    }
    if (argon2 && first.value !== ARGON2) {
      const existing = v.items.find((i) => i.kind === 'str' && i.value === ARGON2);
      const insert = lit.insertItems(s, [py.str(ARGON2)], 'Hash new passwords with Argon2', { before: first });
      const remove = existing ? lit.removeItem(existing, 'Hash new passwords with Argon2') : [];
      const fixes = existing ? (insert[0] && remove[0] ? [{ ...insert[0], edits: [...insert[0].edits, ...remove[0].edits] }] : []) : insert;
      ctx.report({
        setting: s,
        at: first.src,
        severity: 'hint',
        message: `argon2-cffi is installed but PASSWORD_HASHERS starts with ${first.value.split('.').pop()}: Argon2 first is the stronger choice for new passwords`,
        fixes,
      });
    }
  },
};

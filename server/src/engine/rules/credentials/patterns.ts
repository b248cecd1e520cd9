// The name and value patterns of spec §(b.3): which names hold credentials, which literals are
// placeholders, and which strings look like live tokens whatever they are assigned to.

const CRED = /(^|_)(PASSWORD|PASSWD|PASSPHRASE|PWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|AUTH_?KEY|CLIENT_SECRET|SIGNING_KEY|WEBHOOK_SECRET|DSN|CREDENTIALS?)(_|$)/i;
const NOT_CRED = /^(SECRET_KEY|SECRET_KEY_FALLBACKS|AUTH_PASSWORD_VALIDATORS|PASSWORD_HASHERS|PASSWORD_RESET_TIMEOUT|TOKEN_MODEL)$/i;
const NOT_CRED_SUFFIX = /(_TOKEN_LIFETIME|_HEADER_NAME|_FILE|_PATH|_NAME|_ID|_URL|_CLASS|_CLASSES|_BACKEND|_LENGTH|_TIMEOUT|_AGE|_EXPIRY|_EXPIRATION|_FIELD|_SERIALIZER|_HANDLER|_PREFIX|_ALGORITHM|_TYPE|_TYPES|_VIEW)$/i;
const COOKIE = /_COOKIE_/i;
const DOTTED_PATH = /^[a-z_][a-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$/;

export function isCredentialName(name: string): boolean {
  if (NOT_CRED.test(name) || NOT_CRED_SUFFIX.test(name) || COOKIE.test(name)) return false;
  return CRED.test(name);
}

const PLACEHOLDER = /^(|changeme|change[-_ ]?me|replace[-_ ]?me|secret|password|dummy|test|dev|development|insecure|x{3,}|todo|your[-_ ].*|<.*>|!!!.*!!!|\*+|-+|none|null|placeholder|example|sample|fake|xxx+)$/i;

export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value.trim());
}

export function looksLikeCode(value: string): boolean {
  return DOTTED_PATH.test(value);
}

/** Shannon entropy in bits per character. */
export function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const c of value) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    h -= p * Math.log2(p);
  }
  return h;
}

export interface TokenMatch {
  kind: string;
  /** Live keys, private keys and URL credentials are errors; test keys are warnings; placeholder passwords in URLs hints. */
  severity: 'error' | 'warning' | 'hint';
  index: number;
  length: number;
}

const TOKENS: { kind: string; re: RegExp; severity: (m: string) => 'error' | 'warning' }[] = [
  { kind: 'AWS access key id', re: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/, severity: () => 'error' },
  { kind: 'Stripe key', re: /\b(sk|rk)_(live|test)_[0-9A-Za-z]{16,}\b/, severity: (m) => (m.includes('_live_') ? 'error' : 'warning') },
  { kind: 'Razorpay key', re: /\brzp_(live|test)_[0-9A-Za-z]{14,}\b/, severity: (m) => (m.includes('_live_') ? 'error' : 'warning') },
  { kind: 'Slack token', re: /\bxox[baprs]-[0-9A-Za-z-]{10,}/, severity: () => 'error' },
  { kind: 'GitHub token', re: /\bgh[pousr]_[A-Za-z0-9]{36,}\b|\bgithub_pat_[A-Za-z0-9_]{22,}/, severity: () => 'error' },
  { kind: 'Google API key', re: /\bAIza[0-9A-Za-z_-]{35}\b/, severity: () => 'error' },
  { kind: 'SendGrid key', re: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/, severity: () => 'error' },
  { kind: 'Twilio key', re: /\bSK[0-9a-fA-F]{32}\b/, severity: () => 'error' },
  { kind: 'Mailgun key', re: /\bkey-[0-9a-zA-Z]{32}\b/, severity: () => 'error' },
  { kind: 'private key', re: /-----BEGIN ([A-Z]+ )?PRIVATE KEY-----/, severity: () => 'error' },
  { kind: 'JSON web token', re: /\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/, severity: () => 'error' },
  { kind: 'Sentry DSN with its key', re: /https:\/\/[0-9a-f]{32}@[^/\s]+\/\d+/, severity: () => 'warning' },
  { kind: 'URL with a password', re: /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/i, severity: () => 'error' },
];

export function findToken(value: string): TokenMatch | undefined {
  for (const t of TOKENS) {
    const m = t.re.exec(value);
    if (!m) continue;
    // `postgres://user:${DB_PASSWORD}@host` style templates are not credentials.
    if (t.kind === 'URL with a password' && /:\/\/[^/\s:@]*:(\$\{?|%\(|%s|\{)/.test(m[0])) continue;
    // `user:pass@`, `:password@`, `:<password>@`: a template to fill in, not a leaked secret (like
    // DJ-SEC-009's placeholders, a hint).
    if (t.kind === 'URL with a password' && /:\/\/[^/\s:@]*:(password|pass|passwd|changeme|change[-_]me|secret|postgres|xxx+|\*+|<[^>]*>)@/i.test(m[0])) {
      return { kind: 'URL with a placeholder password', severity: 'hint', index: m.index, length: m[0].length };
    }
    // A password for a database on this machine is a development default, not a leaked secret.
    if (t.kind === 'URL with a password' && /@(localhost|127\.0\.0\.1|db|postgres|redis|mysql|database)([:/]|$)/i.test(value.slice(m.index))) {
      return { kind: 'development URL with a password', severity: 'warning', index: m.index, length: m[0].length };
    }
    return { kind: t.kind, severity: t.severity(m[0]), index: m.index, length: m[0].length };
  }
  return undefined;
}

// Which Django a project runs, read from its dependency files without a resolver, and the global
// defaults of that version (django/conf/global_settings.py) for every setting our rules read.
import type { Value } from '../settings/value';

export interface DjangoVersion {
  major: number;
  minor: number;
  /** Where the version came from, for messages ("requirements.txt", "--django-version", "assumed"). */
  source: string;
}

/** Feature releases we know the defaults of, oldest first. */
export const KNOWN_SERIES: [number, number][] = [
  [2, 2], [3, 0], [3, 1], [3, 2], [4, 0], [4, 1], [4, 2], [5, 0], [5, 1], [5, 2], [6, 0],
];

/** When nothing pins Django we assume the current LTS (spec §c.5). */
export const ASSUMED_VERSION: DjangoVersion = { major: 5, minor: 2, source: 'assumed (current LTS)' };

export function parseVersionArg(text: string, source: string): DjangoVersion | undefined {
  const m = /^\s*(\d+)\.(\d+)/.exec(text);
  return m ? { major: Number(m[1]), minor: Number(m[2]), source } : undefined;
}

export function atLeast(v: DjangoVersion, major: number, minor: number): boolean {
  return v.major > major || (v.major === major && v.minor >= minor);
}

function cmp(a: [number, number], b: [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}

/**
 * The feature release pip would pick for a PEP 440 specifier set such as `==4.2.11`,
 * `>=4.2,<5.0`, `~=3.2.0` or `4.2.*`: the newest known series the specifiers allow.
 */
export function seriesForSpecifier(spec: string, source: string): DjangoVersion | undefined {
  const clauses = spec.split(',').map((c) => c.trim()).filter(Boolean);
  if (clauses.length === 0) return undefined;
  const allowed = KNOWN_SERIES.filter((series) => clauses.every((c) => clauseAllowsSeries(c, series)));
  const exact = clauses.find((c) => c.startsWith('==') || c.startsWith('==='));
  if (exact) {
    const v = parseVersionArg(exact.replace(/^=+/, ''), source);
    if (v) return v;
  }
  const pick = allowed[allowed.length - 1];
  return pick ? { major: pick[0], minor: pick[1], source } : undefined;
}

function clauseAllowsSeries(clause: string, series: [number, number]): boolean {
  const m = /^(~=|==|!=|<=|>=|<|>|===)?\s*v?(\d+)(?:\.(\d+|\*))?(?:\.(\d+|\*))?/.exec(clause);
  if (!m) return true;
  const op = m[1] ?? '==';
  const major = Number(m[2]);
  const minorText = m[3];
  const minor = minorText === undefined || minorText === '*' ? undefined : Number(minorText);
  const patch = m[4] && m[4] !== '*' ? Number(m[4]) : undefined;
  const v: [number, number] = [major, minor ?? 0];
  switch (op) {
    case '==':
    case '===':
      return minor === undefined ? series[0] === major : cmp(series, v) === 0;
    case '!=':
      // Only `!=4.2.*` rules out a whole series; `!=4.2.5` leaves its other patches.
      return !(clause.includes('*') && minor !== undefined && cmp(series, v) === 0);
    case '>=':
      return cmp(series, v) >= 0;
    case '>':
      // >4.2 still allows 4.2.1; only a series strictly below is excluded.
      return cmp(series, v) >= 0;
    case '<':
      // <5.0 excludes 5.0.x; <4.2.5 allows 4.2.x (early patches).
      return patch !== undefined ? cmp(series, v) <= 0 : cmp(series, v) < 0;
    case '<=':
      return cmp(series, v) <= 0;
    case '~=':
      // ~=4.2.3 means >=4.2.3,==4.2.*; ~=4.2 means >=4.2,==4.*
      return patch !== undefined ? cmp(series, v) === 0 : series[0] === major && series[1] >= (minor ?? 0);
    default:
      return true;
  }
}

/** Django's global default for a setting in this version; undefined when the setting does not exist. */
export function djangoDefault(name: string, v: DjangoVersion): Value | undefined {
  const s = (value: string): Value => ({ kind: 'str', value });
  const b = (value: boolean): Value => ({ kind: 'bool', value });
  const i = (value: number): Value => ({ kind: 'int', value });
  const empty: Value = { kind: 'list', items: [] };
  switch (name) {
    case 'DEBUG':
    case 'DEBUG_PROPAGATE_EXCEPTIONS':
    case 'SECURE_HSTS_INCLUDE_SUBDOMAINS':
    case 'SECURE_HSTS_PRELOAD':
    case 'SECURE_SSL_REDIRECT':
    case 'SESSION_COOKIE_SECURE':
    case 'CSRF_COOKIE_SECURE':
    case 'CSRF_USE_SESSIONS':
    case 'CSRF_COOKIE_HTTPONLY':
    case 'USE_X_FORWARDED_HOST':
    case 'USE_X_FORWARDED_PORT':
    case 'SESSION_EXPIRE_AT_BROWSER_CLOSE':
      return b(false);
    case 'SESSION_COOKIE_HTTPONLY':
      return b(true);
    case 'SECRET_KEY':
      return s('');
    case 'ALLOWED_HOSTS':
    case 'INSTALLED_APPS':
    case 'MIDDLEWARE':
    case 'SILENCED_SYSTEM_CHECKS':
    case 'STATICFILES_DIRS':
    case 'CSRF_TRUSTED_ORIGINS':
    case 'INTERNAL_IPS':
    case 'AUTH_PASSWORD_VALIDATORS':
    case 'SECURE_REDIRECT_EXEMPT':
    case 'TEMPLATES':
      return empty;
    case 'AUTHENTICATION_BACKENDS':
      return { kind: 'list', items: [s('django.contrib.auth.backends.ModelBackend')] };
    case 'SECRET_KEY_FALLBACKS':
      return atLeast(v, 4, 1) ? empty : undefined;
    case 'SECURE_HSTS_SECONDS':
      return i(0);
    case 'SECURE_CONTENT_TYPE_NOSNIFF':
      return b(atLeast(v, 3, 0));
    case 'SECURE_BROWSER_XSS_FILTER':
      return atLeast(v, 4, 0) ? undefined : b(false);
    case 'X_FRAME_OPTIONS':
      return s(atLeast(v, 3, 0) ? 'DENY' : 'SAMEORIGIN');
    case 'SECURE_REFERRER_POLICY':
      return atLeast(v, 3, 1) ? s('same-origin') : { kind: 'none' };
    case 'SECURE_CROSS_ORIGIN_OPENER_POLICY':
      return atLeast(v, 4, 0) ? s('same-origin') : undefined;
    case 'SECURE_PROXY_SSL_HEADER':
      return { kind: 'none' };
    case 'DEFAULT_HASHING_ALGORITHM':
      return v.major === 3 && (v.minor === 1 || v.minor === 2) ? s('sha256') : undefined;
    case 'CSRF_FAILURE_VIEW':
      return s('django.views.csrf.csrf_failure');
    case 'STATIC_URL':
    case 'STATIC_ROOT':
      return { kind: 'none' };
    case 'MEDIA_URL':
    case 'MEDIA_ROOT':
      return s('');
    case 'CACHES':
      return {
        kind: 'dict',
        entries: [{ key: s('default'), value: { kind: 'dict', entries: [{ key: s('BACKEND'), value: s('django.core.cache.backends.locmem.LocMemCache') }] } }],
      };
    case 'SESSION_COOKIE_SAMESITE':
    case 'CSRF_COOKIE_SAMESITE':
      return s('Lax');
    case 'SESSION_COOKIE_AGE':
      return i(1209600);
    case 'PASSWORD_HASHERS': {
      const hashers = ['PBKDF2PasswordHasher', 'PBKDF2SHA1PasswordHasher', 'Argon2PasswordHasher', 'BCryptSHA256PasswordHasher', ...(atLeast(v, 4, 0) ? ['ScryptPasswordHasher'] : [])];
      return { kind: 'list', items: hashers.map((h) => s(`django.contrib.auth.hashers.${h}`)) };
    }
    case 'SESSION_SERIALIZER':
      return s('django.contrib.sessions.serializers.JSONSerializer');
    case 'SESSION_ENGINE':
      return s('django.contrib.sessions.backends.db');
    case 'DATA_UPLOAD_MAX_MEMORY_SIZE':
      return i(2621440);
    case 'DATA_UPLOAD_MAX_NUMBER_FIELDS':
      return i(1000);
    case 'DATA_UPLOAD_MAX_NUMBER_FILES':
      // Added in the February 2023 security releases (3.2.18, 4.0.10, 4.1.7).
      return atLeast(v, 3, 2) ? i(100) : undefined;
    case 'SESSION_COOKIE_DOMAIN':
    case 'CSRF_COOKIE_DOMAIN':
      return { kind: 'none' };
    default:
      return undefined;
  }
}

// dotenv files (`.env`, `.env.production`, `prod.env`, `.envs/.production/.django`): `KEY=value`
// lines with optional `export`, quotes and comments, read the way docker compose and
// python-dotenv agree on; positions kept for fixes.
import { splitPath } from '../workspace';
import type { Range } from '../types';

export interface EnvEntry {
  key: string;
  value: string;
  quoted: boolean;
  line: number;
  keyRange: Range;
  valueRange: Range;
}

export function parseEnvFile(text: string): EnvEntry[] {
  const out: EnvEntry[] = [];
  text.split(/\r?\n/).forEach((raw, line) => {
    const m = /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*/.exec(raw);
    if (!m) return;
    const start = m[0].length;
    let rest = raw.slice(start);
    let quoted = false;
    let value: string;
    let end: number;
    const q = rest[0];
    if (q === '"' || q === "'") {
      const close = rest.indexOf(q, 1);
      quoted = true;
      value = close < 0 ? rest.slice(1) : rest.slice(1, close);
      end = start + (close < 0 ? rest.length : close + 1);
    } else {
      const comment = rest.search(/\s#/);
      if (comment >= 0) rest = rest.slice(0, comment);
      value = rest.trimEnd();
      end = start + value.length;
    }
    out.push({
      key: m[2]!,
      value,
      quoted,
      line,
      keyRange: { start: { line, character: m[1]!.length }, end: { line, character: m[1]!.length + m[2]!.length } },
      valueRange: { start: { line, character: start }, end: { line, character: end } },
    });
  });
  return out;
}

/** `.env.example`, `.env.sample`, `.env.template`, `example.env`, `.env.dist`. */
export function isExampleEnv(name: string): boolean {
  return /(^|[._-])(example|sample|template|dist|defaults?)([._-]|$)/i.test(name);
}

/** Env file names: `.env`, `.env.*`, `*.env`, files under `.envs/`. */
export function isEnvFileName(path: string): boolean {
  // Every file of a project is asked: an env file's path says `.env` somewhere.
  if (!path.includes('.env')) return false;
  const [dir, name] = splitPath(path);
  if (/^\.env(\..+)?$/.test(name) || /^[\w.-]+\.env$/.test(name)) return true;
  return /(^|\/)\.envs\//.test(dir.split('\\').join('/') + '/');
}

export function isDevEnv(path: string): boolean {
  return /(^|[._/-])(dev|devel|develop|development|local|test|testing|ci)([._/-]|$)/i.test(path.split('\\').join('/').split('/').slice(-2).join('/'));
}

export function isProdEnv(path: string): boolean {
  return /(^|[._/-])(prod|production|live)([._/-]|$)/i.test(path.split('\\').join('/').split('/').slice(-2).join('/'));
}

export const TRUTHY = /^(1|true|yes|on|y)$/i;

/** Secret-looking keys (spec §0), suffix-anchored, minus `_FILE`/`_PATH`/`_DIR`/`_NAME`. */
export function isSecretKey(key: string): boolean {
  if (/(_FILE|_PATH|_DIR|_NAME|_USER|_USERNAME|_ID|_HOST|_PORT)$/i.test(key)) return false;
  if (/^(GOPRIVATE|GONOSUMDB)$/i.test(key)) return false;
  return /(^|_)(SECRET(_KEY)?|PASSWORD|PASSWD|PASS|PWD|TOKEN|API_?KEY|ACCESS_KEY|PRIVATE_KEY|CLIENT_SECRET|CREDENTIALS?|DSN)$/i.test(key);
}

/** A URL value carrying `user:password@`. */
export function hasUrlCredentials(value: string): boolean {
  const m = /:\/\/[^/@\s:]*:([^/@\s]+)@/.exec(value);
  return !!m && !isPlaceholder(m[1]!);
}

/** Values that never count as secrets: empty, `${VAR}`, `changeme`, `<...>`, `your-...`. */
export function isPlaceholder(value: string): boolean {
  const v = value.trim().replace(/^["']|["']$/g, '');
  if (v === '') return true;
  if (/^\$\{?[A-Za-z_][A-Za-z0-9_]*(:?[-?][^}]*)?\}?$/.test(v)) return true;
  if (/^<.*>$/.test(v) || /^your[-_]/i.test(v) || /^x+$/i.test(v)) return true;
  return /^(change[-_]?me|changethis|dummy|placeholder|example|secret|password|todo|tbd|none|null|replace[-_]?me|build-only|insecure|test|testing)$/i.test(v);
}

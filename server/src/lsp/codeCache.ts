// V8 code cache for the server and CLI bundles (Node 20 has no module.enableCompileCache). Compiling the
// ~1 MB bundle and the functions the first analysis runs costs about a third of the server's start;
// with the cache V8 deserialises the bytecode instead. The loader (lsp/loader.ts, built as
// server/out/server.js) compiles server-main.js with the cache; the server asks for the cache to be
// written once its first full analysis has run, so the functions that analysis compiled are in it.
// A server stopped before that (only the quick settings round ran) leaves a partial cache, which
// the next server that completes an analysis replaces.
//
// Robustness: the cache lives in the folder the client passes (the extension's global storage) or
// in a per-user folder of the temp dir that must be ours and not writable by others (bytecode is
// code: a file another user could plant must never be loaded). A file is named after the bundle's
// content hash, the V8 version and the architecture, starts with a SHA-256 of the rest (V8 does not
// checksum code caches in release builds), is written to a temporary name and renamed into place, and
// V8 itself rejects data from other flags or another source. Any failure just means no cache.
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/** Environment: the folder for the cache (the client passes its global storage); `off` disables it. */
export const CACHE_DIR_ENV = 'DJANGO_READINESS_CACHE_DIR';
const SUFFIX = '.v8cache';
const DIGEST_BYTES = 32;
const COMPLETE = 1;
const PARTIAL = 0;

export type CodeCacheState = 'hit' | 'miss' | 'rejected' | 'off';

/** What the loader hands the server (on globalThis under HOOK_KEY). */
export interface CodeCacheHook {
  /** How the bundle was compiled. */
  readonly state: CodeCacheState;
  /** For a hit: whether the cache was written after a full analysis. */
  readonly complete: boolean;
  /**
   * Writes the cache, `complete` when a full analysis has run, unless it would not improve on what
   * this start read or already wrote; never throws. Returns what happened, undefined when nothing.
   */
  save(complete: boolean): string | undefined;
}

export const HOOK_KEY = Symbol.for('django-readiness.codeCache');

export function codeCacheHook(): CodeCacheHook | undefined {
  return (globalThis as Record<symbol, unknown>)[HOOK_KEY] as CodeCacheHook | undefined;
}

function isOwnPrivateDir(dir: string): boolean {
  const st = lstatSync(dir);
  if (!st.isDirectory()) return false;
  // Windows has no uid and a per-user temp dir.
  if (typeof process.getuid !== 'function') return true;
  return st.uid === process.getuid() && (st.mode & 0o022) === 0;
}

/** The cache folder, created if needed; undefined when there is none we can trust. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env, temp = tmpdir()): string | undefined {
  try {
    const given = env[CACHE_DIR_ENV];
    if (given === 'off') return undefined;
    if (given) {
      mkdirSync(given, { recursive: true, mode: 0o700 });
      return isOwnPrivateDir(given) ? given : undefined;
    }
    const user = typeof process.getuid === 'function' ? String(process.getuid()) : userInfo().username.replace(/[^\w.-]/g, '_');
    const dir = join(temp, `django-readiness-${user}`);
    try {
      mkdirSync(dir, { mode: 0o700 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    return isOwnPrivateDir(dir) ? dir : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The cache file of one bundle build for this V8 and architecture. `bundle` names the program
 * (`server`, `cli`): writing one program's cache removes only that program's older caches.
 */
export function cacheFile(dir: string, bundleHash: string, sourceLength: number, bundle = 'server'): string {
  const v8 = process.versions.v8.replace(/[^\w.-]/g, '_');
  return join(dir, `${bundle}-${bundleHash.slice(0, 16)}-${sourceLength}-${v8}-${process.arch}${SUFFIX}`);
}

/** The cached data in `file`, if it is there and intact. */
export function readCache(file: string): { data: Buffer; complete: boolean } | undefined {
  try {
    const raw = readFileSync(file);
    if (raw.length <= DIGEST_BYTES + 1) return undefined;
    const body = raw.subarray(DIGEST_BYTES);
    const digest = createHash('sha256').update(body).digest();
    if (!digest.equals(raw.subarray(0, DIGEST_BYTES)) || (body[0] !== COMPLETE && body[0] !== PARTIAL)) return undefined;
    return { data: body.subarray(1), complete: body[0] === COMPLETE };
  } catch {
    return undefined;
  }
}

/**
 * Writes `data` atomically (temporary file + rename) and removes caches of other builds. Layout:
 * SHA-256 of the rest, 1 byte complete (1) or partial (0), V8's data.
 */
export function writeCache(file: string, data: Buffer, complete: boolean): void {
  const body = Buffer.concat([Buffer.from([complete ? COMPLETE : PARTIAL]), data]);
  const digest = createHash('sha256').update(body).digest();
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, Buffer.concat([digest, body]), { mode: 0o600 });
    renameSync(tmp, file);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // never written
    }
    throw err;
  }
  const dir = join(file, '..');
  const own = file.slice(dir.length + 1);
  const prefix = own.slice(0, own.indexOf('-') + 1);
  for (const name of readdirSync(dir)) {
    if (name !== own && name.startsWith(prefix) && name.endsWith(SUFFIX)) {
      try {
        unlinkSync(join(dir, name));
      } catch {
        // another server may be using or replacing it
      }
    }
  }
}

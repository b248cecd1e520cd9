// The server's V8 code cache files (server/src/lsp/codeCache.ts): where they may live, and that a
// damaged or foreign file is never handed to V8.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CACHE_DIR_ENV, cacheDir, cacheFile, readCache, writeCache } from '../../server/src/lsp/codeCache';

const posix = typeof process.getuid === 'function';
const made: string[] = [];
/** A fresh temporary folder, removed when the tests end. */
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'djr-cc-'));
  made.push(dir);
  return dir;
}
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

test('the cache folder: the one the client passes, none when disabled, else a private per-user temp folder', () => {
  const temp = tempDir();
  assert.equal(cacheDir({ [CACHE_DIR_ENV]: 'off' }, temp), undefined);
  const given = join(temp, 'storage', 'code-cache');
  assert.equal(cacheDir({ [CACHE_DIR_ENV]: given }, temp), given);
  assert.ok(statSync(given).isDirectory());
  const own = cacheDir({}, temp);
  assert.ok(own && own.startsWith(temp), String(own));
  if (posix) assert.equal(statSync(own).mode & 0o077, 0, 'created private');
  assert.equal(cacheDir({}, temp), own, 'found again');
});

test('a temp folder others can write to, or a symlink in its place, is not used', { skip: !posix }, () => {
  const temp = tempDir();
  const dir = join(temp, `django-readiness-${process.getuid!()}`);
  mkdirSync(dir);
  chmodSync(dir, 0o777);
  assert.equal(cacheDir({}, temp), undefined);
  const temp2 = tempDir();
  const elsewhere = tempDir();
  symlinkSync(elsewhere, join(temp2, `django-readiness-${process.getuid!()}`));
  assert.equal(cacheDir({}, temp2), undefined);
});

test('written data reads back with its completeness; a damaged or truncated file reads as no cache', () => {
  const dir = tempDir();
  const file = cacheFile(dir, 'ab'.repeat(32), 1234);
  assert.match(file, /server-abababababababab-1234-.*\.v8cache$/);
  assert.equal(readCache(file), undefined, 'missing');
  const data = Buffer.from('some cached data '.repeat(100));
  writeCache(file, data, true);
  assert.deepEqual(readCache(file), { data, complete: true });
  writeCache(file, data, false);
  assert.deepEqual(readCache(file), { data, complete: false });
  if (posix) assert.equal(statSync(file).mode & 0o077, 0);
  const raw = readFileSync(file);
  const flipped = Buffer.from(raw);
  flipped[raw.length - 5]! ^= 1;
  writeFileSync(file, flipped);
  assert.equal(readCache(file), undefined, 'one bit changed');
  writeFileSync(file, raw.subarray(0, raw.length - 10));
  assert.equal(readCache(file), undefined, 'truncated');
  writeFileSync(file, raw.subarray(0, 20));
  assert.equal(readCache(file), undefined, 'shorter than its digest');
});

test('writing a cache removes the caches of other builds, and nothing else', () => {
  const dir = tempDir();
  const old = cacheFile(dir, 'cd'.repeat(32), 99);
  writeCache(old, Buffer.from('old build'), true);
  writeFileSync(join(dir, 'unrelated.txt'), 'keep me');
  const current = cacheFile(dir, 'ef'.repeat(32), 100);
  writeCache(current, Buffer.from('new build'), true);
  assert.ok(!existsSync(old));
  assert.deepEqual(readdirSync(dir).sort(), [current.slice(dir.length + 1), 'unrelated.txt'].sort());
});

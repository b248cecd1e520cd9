// The built server's V8 code cache (server/out/server.js loading server-main.js, see
// server/src/lsp/codeCache.ts): written after the first analysis, used by the next start, a partial
// one completed, and a damaged or rejected cache only costs the cache, never the diagnostics.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CACHE_DIR_ENV, readCache, writeCache } from '../../server/src/lsp/codeCache';
import { writeProject } from '../helpers/engine';
import { codes, FAST_CONFIG, LspTestClient, PROJECT_FILES, uriOf } from './harness';

test('the code cache is written after the first analysis, used by the next start, and a bad one is replaced', async (t) => {
  const cache = mkdtempSync(join(tmpdir(), 'djr-cc-lsp-'));
  const dir = writeProject(PROJECT_FILES);
  t.after(() => {
    rmSync(cache, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });
  // The servers this test file starts inherit the environment.
  process.env[CACHE_DIR_ENV] = cache;
  const production = uriOf(join(dir, 'proj/settings/production.py'));
  const start = async () => {
    const client = await LspTestClient.start({ folders: [dir], config: FAST_CONFIG });
    t.after(() => client.kill());
    const found = codes(await client.diagnosticsFor(production, (d) => d.length > 0));
    assert.equal(await client.shutdown(), 0);
    const state = /code cache: ([\w, ]+)\)/.exec(client.logs.join('\n'))?.[1];
    return { found, state, wrote: client.logs.some((l) => l.includes('code cache written to')) };
  };
  const files = () => readdirSync(cache).filter((f) => f.endsWith('.v8cache'));

  const first = await start();
  assert.deepEqual([first.state, first.wrote], ['miss', true]);
  assert.equal(files().length, 1);
  const file = join(cache, files()[0]!);

  const second = await start();
  assert.deepEqual([second.state, second.wrote], ['hit', false]);
  assert.deepEqual(second.found, first.found);
  assert.equal(readCache(file)?.complete, true);

  // Partial (left by a server stopped after the settings round): used, then completed.
  writeCache(file, readCache(file)!.data, false);
  const partial = await start();
  assert.deepEqual([partial.state, partial.wrote], ['hit, partial', true]);
  assert.equal(readCache(file)?.complete, true);
  assert.deepEqual(partial.found, first.found);

  // One bit flipped: the digest no longer matches, V8 never sees it.
  const raw = readFileSync(file);
  raw[raw.length - 100]! ^= 1;
  writeFileSync(file, raw);
  const third = await start();
  assert.deepEqual([third.state, third.wrote], ['miss', true]);
  assert.deepEqual(third.found, first.found);

  // Intact on disk but not V8's: V8 rejects it, the bundle is compiled from source.
  writeCache(file, Buffer.from('not a code cache '.repeat(64)), true);
  const fourth = await start();
  assert.deepEqual([fourth.state, fourth.wrote], ['rejected', true]);
  assert.deepEqual(fourth.found, first.found);
  assert.equal((await start()).state, 'hit');
});

test('DJANGO_READINESS_CACHE_DIR=off: no cache is read or written', async (t) => {
  const dir = writeProject(PROJECT_FILES);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  process.env[CACHE_DIR_ENV] = 'off';
  const client = await LspTestClient.start({ folders: [dir], config: FAST_CONFIG });
  t.after(() => client.kill());
  await client.diagnosticsFor(uriOf(join(dir, 'proj/settings/production.py')), (d) => d.length > 0);
  assert.equal(await client.shutdown(), 0);
  assert.ok(client.logs.some((l) => l.includes('code cache: off')), client.logs.join('\n'));
  assert.ok(!client.logs.some((l) => l.includes('code cache written')));
});

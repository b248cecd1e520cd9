// The language server reads the trees of unchanged modules from the parse cache for its first
// analyses (server/src/engine/parsing/parseCache.ts) and writes them after its first full analysis:
// the next start parses nothing it parsed before, and publishes the same diagnostics.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { CACHE_DIR_ENV } from '../../server/src/lsp/codeCache';
import { REPO_ROOT } from '../helpers/engine';
import { FAST_CONFIG, LspTestClient } from './harness';

test('the server takes unchanged modules from the parse cache on its next start and publishes the same', async (t) => {
  const cache = mkdtempSync(join(tmpdir(), 'djr-pc-lsp-'));
  const dir = mkdtempSync(join(tmpdir(), 'djr-pc-ws-'));
  cpSync(join(REPO_ROOT, 'example'), dir, { recursive: true });
  const saved = process.env[CACHE_DIR_ENV];
  t.after(() => {
    process.env[CACHE_DIR_ENV] = saved;
    if (saved === undefined) delete process.env[CACHE_DIR_ENV];
    rmSync(cache, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });
  // The servers this test starts inherit the environment.
  process.env[CACHE_DIR_ENV] = cache;
  const start = async () => {
    const client = await LspTestClient.start({ folders: [dir], config: FAST_CONFIG });
    t.after(() => client.kill());
    // The first full analysis ends with a status notification; the pack is written a moment later.
    for (let i = 0; i < 200 && client.statuses.length === 0; i++) await sleep(25);
    assert.ok(client.statuses.length > 0, 'no full analysis');
    for (let i = 0; i < 100 && !client.logs.some((l) => l.includes('parse cache of')); i++) await sleep(25);
    const published = [...client.diagnostics.entries()].map(([uri, p]) => `${uri} ${JSON.stringify(p.diagnostics)}`).sort();
    assert.equal(await client.shutdown(), 0);
    const line = client.logs.find((l) => l.includes('parse cache of')) ?? '';
    const m = /(\d+) trees read, (\d+) modules parsed/.exec(line);
    assert.ok(m, `no parse cache report in ${client.logs.join('\n')}`);
    return { read: Number(m[1]), parsed: Number(m[2]), published };
  };
  const packs = () => readdirSync(cache).filter((f) => f.endsWith('.pack'));

  const first = await start();
  assert.equal(first.read, 0);
  assert.ok(first.parsed >= 3, `parsed ${first.parsed}`);
  assert.equal(packs().length, 1);

  const second = await start();
  assert.deepEqual([second.read, second.parsed], [first.parsed, 0]);
  assert.deepEqual(second.published, first.published);

  // A module edited on disk between starts is parsed again; the findings follow the new text.
  const views = join(dir, 'accounts', 'views.py');
  writeFileSync(views, readFileSync(views, 'utf8').replace(/\n*$/, '\n\n\n@csrf_exempt\ndef hook(request):\n    return None\n'));
  const third = await start();
  assert.deepEqual([third.read, third.parsed], [first.parsed - 1, 1]);
  const viewsUri = third.published.find((p) => p.includes('accounts/views.py')) ?? '';
  assert.notDeepEqual(third.published, first.published);
  assert.match(viewsUri, /DJ-VIEW-001/);
});

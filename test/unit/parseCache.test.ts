// The CLI's parse cache (parsing/parseCache.ts): trees read back are the trees a parse gives, an
// edited module is parsed again, a damaged pack is never trusted, and the analysis finds the same
// with and without it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ParserPool } from '../../server/src/engine/parsing/documents';
import { ParseCache, wholeReadLimit } from '../../server/src/engine/parsing/parseCache';
import type { SyntaxNode } from '../../server/src/engine/parsing/syntax';
import { dumpTree } from '../helpers/trees';
import { pythonFixtures, REPO_ROOT } from '../helpers/engine';

const GRAMMAR = 'test-grammar';

/** Parses `texts` through a cache in `dir` (one run): which were taken from it. */
function run(pool: ParserPool, dir: string, texts: string[]): { taken: boolean[]; counts: ParseCache['counts'] } {
  const cache = ParseCache.open(dir, '/workspace', GRAMMAR);
  const taken = texts.map((text) => {
    const kept = cache.take(text);
    if ('tree' in kept) {
      assert.equal(dumpTree(kept.tree.rootNode), dumpTree(pool.parse('python', text).rootNode));
      return true;
    }
    cache.add(kept.hash, pool.parse('python', text));
    return false;
  });
  cache.close();
  return { taken, counts: { ...cache.counts } };
}

/** Runs `body` with packs read whole (the default) and read a tree at a time (a pack over the limit). */
async function bothReadings(body: () => Promise<void>): Promise<void> {
  const limit = wholeReadLimit.bytes;
  try {
    await body();
    wholeReadLimit.bytes = 0;
    await body();
  } finally {
    wholeReadLimit.bytes = limit;
  }
}

test('trees read back from the parse cache are the trees a parse gives, broken code included', () => bothReadings(async () => {
  const pool = await ParserPool.create(['python']);
  const dir = mkdtempSync(join(tmpdir(), 'djr-pack-'));
  const texts = [...pythonFixtures().map((f) => readFileSync(f, 'utf8')), 'def f(:\n    x = [1, 2\nY = "é😀"\n', 'class A(\n', '', 'x = 1\r\ny = 2\r'];
  assert.ok(texts.length > 200);
  const first = run(pool, dir, texts);
  assert.ok(first.taken.every((t) => !t));
  const second = run(pool, dir, texts);
  // Equal texts share an entry; every text is taken the second time.
  assert.ok(second.taken.every((t) => t));
  assert.equal(second.counts.refused, 0);
  pool.dispose();
}));

test('an edited module is parsed again, and the pack keeps what the last run used', async () => {
  const pool = await ParserPool.create(['python']);
  const dir = mkdtempSync(join(tmpdir(), 'djr-pack-'));
  const a = 'A = 1\n';
  const b = 'B = [1, 2]\n';
  const b2 = 'B = [1, 2, 3]\n';
  assert.deepEqual(run(pool, dir, [a, b]).taken, [false, false]);
  assert.deepEqual(run(pool, dir, [a, b2]).taken, [true, false]);
  // The old text of b was not used by the last run: gone; a was (copied into the new pack).
  assert.deepEqual(run(pool, dir, [a, b2, b]).taken, [true, true, false]);
  pool.dispose();
});

test('a run that parses nothing leaves the pack as it was', async () => {
  const pool = await ParserPool.create(['python']);
  const dir = mkdtempSync(join(tmpdir(), 'djr-pack-'));
  run(pool, dir, ['A = 1\n', 'B = 2\n']);
  const pack = readdirSync(dir).find((n) => n.endsWith('.pack'))!;
  const before = readFileSync(join(dir, pack));
  assert.deepEqual(run(pool, dir, ['A = 1\n']).taken, [true]);
  assert.deepEqual(readFileSync(join(dir, pack)), before);
  assert.deepEqual(readdirSync(dir), [pack]);
  pool.dispose();
});

test('a damaged pack is never trusted: the damaged entry, or the whole pack, is parsed again', () => bothReadings(async () => {
  const pool = await ParserPool.create(['python']);
  const dir = mkdtempSync(join(tmpdir(), 'djr-pack-'));
  const texts = ['A = 1\n', 'def f(x):\n    return [x, {"k": x}]\n'];
  run(pool, dir, texts);
  const pack = join(dir, readdirSync(dir).find((n) => n.endsWith('.pack'))!);
  const good = readFileSync(pack);

  // A byte of the last entry's nodes changed (the nodes end where the index starts; the footer,
  // the file's last 16 bytes, says where).
  const flipped = Buffer.from(good);
  const indexAt = good.readUInt32LE(good.length - 16);
  flipped[indexAt - 10] = flipped[indexAt - 10]! ^ 0x10;
  writeFileSync(pack, flipped);
  const damaged = run(pool, dir, texts);
  assert.equal(damaged.counts.refused, 1);
  assert.deepEqual(damaged.taken, [true, false]);

  // Cut short: no index at the end, so nothing is taken (and the run writes a whole new pack).
  writeFileSync(pack, good.subarray(0, good.length - 7));
  assert.deepEqual(run(pool, dir, texts).taken, [false, false]);
  assert.deepEqual(run(pool, dir, texts).taken, [true, true]);

  // Cut short after a run read its index (another run rewriting it): what the run takes is refused.
  writeFileSync(pack, good);
  const reading = ParseCache.open(dir, '/workspace', GRAMMAR);
  truncateSync(pack, 64);
  assert.equal('tree' in reading.take(texts[1]!), false);
  assert.equal('tree' in reading.take(texts[0]!), false);
  assert.equal(reading.counts.refused, 2);
  reading.close();

  // Not a pack at all.
  writeFileSync(pack, 'hello');
  assert.deepEqual(run(pool, dir, texts).taken, [false, false]);
  pool.dispose();
}));

test('the CLI reads unchanged modules from the cache, finds the same, and --no-cache parses everything', () => {
  const cache = mkdtempSync(join(tmpdir(), 'djr-cli-cache-'));
  const work = mkdtempSync(join(tmpdir(), 'djr-cli-ws-'));
  cpSync(join(REPO_ROOT, 'example'), work, { recursive: true });
  const cli = (...args: string[]) => {
    const r = spawnSync(process.execPath, [join(REPO_ROOT, 'server/out/cli.js'), 'check', '.', '--format', 'json', '--stats', ...args], { cwd: work, encoding: 'utf8', env: { ...process.env, DJANGO_READINESS_CACHE_DIR: cache } });
    assert.equal(r.status, 1, r.stderr);
    const stats = JSON.parse(r.stderr.split('\n').find((l) => l.startsWith('{'))!);
    return { stdout: r.stdout, stats };
  };
  const cold = cli();
  assert.ok(cold.stats.parseCache.misses > 0);
  assert.equal(cold.stats.parseCache.hits, 0);
  const warm = cli();
  assert.equal(warm.stats.parseCache.misses, 0);
  assert.equal(warm.stats.parseCache.hits, cold.stats.parseCache.misses);
  assert.equal(warm.stdout, cold.stdout);
  const off = cli('--no-cache');
  assert.equal(off.stats.parseCache, 'off');
  assert.equal(off.stdout, cold.stdout);

  // An edited module misses; the others are still taken.
  const views = join(work, 'accounts', 'views.py');
  writeFileSync(views, readFileSync(views, 'utf8') + '\n\ndef added(request):\n    return None\n');
  const edited = cli();
  assert.equal(edited.stats.parseCache.misses, 1);
  assert.equal(edited.stats.parseCache.hits, cold.stats.parseCache.misses - 1);
  assert.equal(edited.stdout, cli('--no-cache').stdout);
});

test('packed words are checked for shape before a node is made: counts, types, fields and extents', async () => {
  const { PackedNodes, SyntaxTree } = await import('../../server/src/engine/parsing/syntax.js');
  const pool = await ParserPool.create(['python']);
  const text = 'class A(B):\n    def f(self, x=[1, {"k": (2, 3)}]):\n        return [y for y in x if y]\n\n\nZ = A().f()\n';
  const source = PackedNodes.wordsOf(pool.parse('python', text).rootNode)!;
  assert.ok(source && source.nodes > 40, 'a tree deeper than a few levels');
  const fresh = () => new SyntaxTree(text);
  const rebuild = (words: Int32Array, nodes = source.nodes, into = fresh()) => {
    const root = PackedNodes.root(words, nodes, source.types, source.fields, into);
    if (root) into.rootNode = root;
    return root;
  };
  const good = rebuild(Int32Array.from(source.words))!;
  assert.equal(dumpTree(good), dumpTree(pool.parse('python', text).rootNode));
  const WORDS = 6;
  const broken = (label: string, change: (w: Int32Array) => void, nodes = source.nodes, into = fresh()) => {
    const words = Int32Array.from(source.words);
    change(words);
    assert.equal(rebuild(words, nodes, into), undefined, label);
  };
  // The index of a node with children, and of a leaf.
  let parent = -1;
  let leaf = -1;
  for (let i = 1; i < source.nodes; i++) {
    if (parent < 0 && source.words[i * WORDS + 5]! > 1) parent = i;
    if (leaf < 0 && source.words[i * WORDS + 5]! === 0) leaf = i;
  }
  broken('a child too many', (w) => void (w[parent * WORDS + 5]! += 1));
  broken('a child too few', (w) => void (w[parent * WORDS + 5]! -= 1));
  broken('a leaf claiming the rest of the tree', (w) => void (w[leaf * WORDS + 5] = source.nodes));
  broken('a negative child count', (w) => void (w[parent * WORDS + 5] = -1));
  broken('fewer nodes than the counts make', () => undefined, source.nodes - 1);
  broken('an unknown type', (w) => void (w[leaf * WORDS] = (w[leaf * WORDS]! & ~0xffff) | source.types.length));
  broken('an unknown field', (w) => void (w[leaf * WORDS] = (w[leaf * WORDS]! & 0xffff) | ((source.fields.length + 1) << 16)));
  broken('a field on the root', (w) => void (w[0] = (w[0]! & 0xffff) | (1 << 16)));
  broken('a row past the text', (w) => void (w[leaf * WORDS + 3] = 99));
  broken('an end before the start', (w) => void (w[leaf * WORDS + 1] = w[leaf * WORDS + 3]! + 1));
  broken('a column past the text', (w) => void (w[(source.nodes - 1) * WORDS + 4] = 10_000));
  broken('a shorter text', () => undefined, source.nodes, new SyntaxTree(text.slice(0, 20)));
  pool.dispose();
});

// Reparsing after edits (only the top-level statements around an edit, see parsing/region.ts) must
// give the same tree as a fresh parse of the whole file, node for node and position for position.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ParsedFile, ParserPool, computeLineStarts } from '../../server/src/engine/parsing/documents';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createParser } from '../../server/src/engine/parsing/grammars';
import { copyPath, copyTree, copyTreePublic, flattenTree, SyntaxTree, treeFromFlat, type SyntaxNode } from '../../server/src/engine/parsing/syntax';
import { FIXTURES } from '../helpers/engine';

function positionOf(text: string, offset: number) {
  const starts = computeLineStarts(text);
  let line = 0;
  while (line + 1 < starts.length && starts[line + 1]! <= offset) line++;
  return { line, character: offset - starts[line]! };
}

/** Every node with its type, field, extent and error flag, parents linked: the whole tree as a string. */
function dump(node: SyntaxNode, depth = 0, field: string | null = null): string {
  const self = `${' '.repeat(depth)}${field ? field + ': ' : ''}${node.isNamed ? node.type : JSON.stringify(node.type)}${node.isMissing ? ' MISSING' : ''}${node.hasError ? ' !' : ''} ${node.startIndex}-${node.endIndex} (${node.startRow},${node.startColumn})-(${node.endRow},${node.endColumn}) ${JSON.stringify(node.text)}`;
  node.children.forEach((c, i) => {
    assert.equal(c.parent, node);
    assert.equal(c.indexInParent, i);
  });
  return [self, ...node.children.map((c, i) => dump(c, depth + 1, node.fieldNameForChild(i)))].join('\n');
}

function randomEdits(name: string, initial: string, snippets: string[], count: number, seedStart: number, width: number) {
  test(name, async () => {
    const pool = await ParserPool.create(['python']);
    let text = initial;
    const file = new ParsedFile('/x.py', text, pool.parse('python', text), 1);
    let seed = seedStart;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let i = 0; i < count; i++) {
      const start = rand(text.length + 1);
      const end = Math.min(text.length, start + rand(width));
      const insert = snippets[rand(snippets.length)]!;
      const change = { range: { start: positionOf(text, start), end: positionOf(text, end) }, text: insert };
      pool.update('python', file, [change]);
      text = text.slice(0, start) + insert + text.slice(end);
      assert.equal(file.text, text);
      assert.deepEqual(file.lineStarts(text), computeLineStarts(text), `line starts after edit ${i}`);
      const fresh = pool.parse('python', text);
      assert.equal(dump(file.tree.rootNode), dump(fresh.rootNode), `after edit ${i} (${JSON.stringify(insert)} at ${start})`);
    }
    pool.dispose();
  });
}

randomEdits(
  'random edits, many of them breaking the syntax, reparse to the tree of a full parse',
  'import os\n\nDEBUG = os.getenv("DEBUG", "True") == "True"\nMIDDLEWARE = [\n    "a",\n    "b",\n]\nif not DEBUG:\n    X = 1\n',
  ['x', '\n', ' = ', '"é😀"', '(', ')', '[1, 2]', '#c\n', 'if a:\n    b = 2\n', '', '\r\n', '\r'],
  300,
  42,
  6,
);

// Edits that mostly keep the module valid exercise the region reparse itself (a broken module
// falls back to a full parse): typing in names and strings, new statements, deleted lines.
const settings = [
  'import os',
  'from pathlib import Path',
  '',
  '# Paths',
  'BASE_DIR = Path(__file__).resolve().parent',
  'DEBUG = os.environ.get("DEBUG", "0") == "1"; TZ = "UTC"',
  '',
  '@decorator',
  'def helper(name, default=None):',
  '    """Doc."""',
  '    return os.environ.get(name, default)',
  '',
  'DATABASES = {',
  '    "default": {"ENGINE": "django.db.backends.sqlite3"},  # local',
  '}',
  '    # an indented comment between statements',
  'if DEBUG:',
  '    INSTALLED_APPS = ["a"]',
  'else:',
  '    INSTALLED_APPS = []',
  'try:',
  '    from .local import *',
  'except ImportError:',
  '    pass',
  'CACHES = {}',
  '',
].join('\n');
randomEdits('random edits that keep a settings module valid reparse to the tree of a full parse', settings, ['x', 'X_1', ' ', '"é😀"', '\n', '\nY = 2\n', '1', '', '', '#'], 400, 7, 2);

/** Every Python file under test/fixtures. */
function pythonFixtures(): string[] {
  const files: string[] = [];
  const visit = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) visit(p);
      else if (name.endsWith('.py')) files.push(p);
    }
  };
  visit(FIXTURES);
  return files;
}

test('trees copied through the runtime exports equal those copied through the public cursor API', async () => {
  const parser = await createParser('python');
  const files = pythonFixtures();
  assert.ok(files.length > 200);
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const tree = parser.parse(text)!;
    try {
      const direct = new SyntaxTree(text);
      direct.rootNode = copyTree(tree, text, direct, 0, 0, (s: string) => parser.parse(s) ?? undefined);
      const viaApi = new SyntaxTree(text);
      viaApi.rootNode = copyTreePublic(tree, text, viaApi);
      assert.equal(dump(direct.rootNode), dump(viaApi.rootNode), file);
    } finally {
      tree.delete();
    }
  }
  // The fast way is the one in use (a web-tree-sitter upgrade that breaks it would silently slow
  // every parse down).
  assert.equal(copyPath(), 'direct');
  parser.delete();
});

test('flat trees (what a parse worker hands over) rebuild to the very tree a direct copy gives', async () => {
  const parser = await createParser('python');
  const files = pythonFixtures();
  // Broken code too: ERROR and MISSING nodes and the error flag they raise up the tree.
  const texts = [...files.map((f) => readFileSync(f, 'utf8')), 'def f(:\n    x = [1, 2\nY = "é😀"\n', 'class A(\n', ''];
  for (const [i, text] of texts.entries()) {
    const tree = parser.parse(text)!;
    try {
      const direct = new SyntaxTree(text);
      direct.rootNode = copyTree(tree, text, direct, 0, 0, (s: string) => parser.parse(s) ?? undefined);
      const rebuilt = new SyntaxTree(text);
      rebuilt.rootNode = treeFromFlat(flattenTree(tree, text), parser.language!, rebuilt);
      assert.equal(dump(rebuilt.rootNode), dump(direct.rootNode), files[i] ?? text);
      assert.equal(rebuilt.rootNode.toString(), direct.rootNode.toString());
    } finally {
      tree.delete();
    }
  }
  parser.delete();
});

// Reparsing after edits (only the top-level statements around an edit, see parsing/region.ts) must
// give the same tree as a fresh parse of the whole file, node for node and position for position.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ParsedFile, ParserPool, computeLineStarts } from '../../server/src/engine/parsing/documents';
import { readFileSync } from 'node:fs';
import { createParser } from '../../server/src/engine/parsing/grammars';
import { copyPath, copyTree, copyTreePublic, flattenTree, SyntaxTree, treeFromFlat, type SyntaxNode } from '../../server/src/engine/parsing/syntax';
import { dumpTree } from '../helpers/trees';
import { endOfText, lineCount } from '../../server/src/engine/parsing/lines';
import { pythonFixtures } from '../helpers/engine';

function positionOf(text: string, offset: number) {
  const starts = computeLineStarts(text);
  let line = 0;
  while (line + 1 < starts.length && starts[line + 1]! <= offset) line++;
  return { line, character: offset - starts[line]! };
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
      text = text.slice(0, start) + insert + text.slice(end);
      // Every other edit with the text after it given, as the language server gives its buffer's.
      pool.update('python', file, [change], i % 2 === 0 ? text : undefined);
      assert.equal(file.text, text);
      assert.deepEqual(file.lineStarts(text), computeLineStarts(text), `line starts after edit ${i}`);
      const fresh = pool.parse('python', text);
      assert.equal(dumpTree(file.tree.rootNode), dumpTree(fresh.rootNode), `after edit ${i} (${JSON.stringify(insert)} at ${start})`);
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

// Settings built inside functions and classes (LAVA's `update(values)`, django-configurations):
// an edit in a block reparses only the block's statements around it (parsing/region.ts).
const nested = [
  'import os',
  '',
  '',
  'def update(values):',
  '    """Fill in the settings."""',
  '    DEBUG = values.get("DEBUG", False)',
  '    if DEBUG:',
  '        ALLOWED_HOSTS = ["*"]',
  '        INTERNAL_IPS = ["127.0.0.1"]  # dev only',
  '    else:',
  '        ALLOWED_HOSTS = [values["HOST"]]',
  '',
  '    LOGGING = {',
  '        "version": 1,',
  '        "handlers": {"console": {"class": "logging.StreamHandler"}},',
  '    }',
  '    # a comment between statements',
  '    for name in ("a", "b"):',
  '        values[name] = 1; values["x"] = 2',
  '    if values.get("SENTRY_DSN"): import sentry_sdk',
  '    return {k: v for (k, v) in locals().items() if k.isupper()}',
  '',
  '',
  'class Base:',
  '    SECRET_KEY = os.environ["SECRET_KEY"]',
  '',
  '    def setup(self):',
  '        try:',
  '            import local',
  '        except ImportError:',
  '            pass',
  '        return self',
  '',
  'X = update({})',
].join('\n');
randomEdits('random edits in functions and classes reparse to the tree of a full parse', nested, ['x', 'X_1', ' ', '"é😀"', '\n', '\n    Y = 2\n', '\n        Z = 3\n', '\nW = 4\n', '1', '', '', '#'], 800, 13, 2);
test('typing in functions and classes (the module stays valid) reparses to the tree of a full parse', async () => {
  // Edits that keep the module valid, so the block reparse is what runs: letters in setting
  // names and strings, new statements, blank lines, comments at line ends.
  const pool = await ParserPool.create(['python']);
  let text = nested;
  const file = new ParsedFile('/x.py', text, pool.parse('python', text), 1);
  let seed = 23;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const all = (re: RegExp) => [...text.matchAll(re)];
  for (let i = 0; i < 500; i++) {
    const kind = rand(5);
    let at: number;
    let insert: string;
    if (kind === 0 || kind === 1) {
      // (Not the quotes of a docstring's triple quotes.)
      const spots = kind === 0 ? all(/\b[A-Z][A-Z0-9_]+\b/g) : all(/"[^"\n]*"/g).filter((m) => text[m.index! - 1] !== '"' && text[m.index! + m[0].length] !== '"' && m[0].length > 1);
      const m = spots[rand(spots.length)]!;
      at = m.index! + 1 + rand(m[0].length - 1);
      insert = kind === 0 ? 'X' : 'é';
    } else {
      const lines = all(/^[^\n]*$/gm);
      const line = lines[rand(lines.length)]!;
      const indent = /^ */.exec(line[0])![0];
      if (kind === 2 && /^ *[A-Z_]+ = [^\n]*$/.test(line[0])) {
        at = line.index!;
        insert = `${indent}NEW_${i} = ${i}\n`;
      } else if (kind === 3) {
        at = line.index! + line[0].length;
        insert = '\n';
      } else {
        at = line.index! + line[0].length;
        insert = /"""|#/.test(line[0]) ? '' : '  # note';
      }
    }
    pool.update('python', file, [{ range: { start: positionOf(text, at), end: positionOf(text, at) }, text: insert }]);
    text = text.slice(0, at) + insert + text.slice(at);
    assert.equal(file.tree.rootNode.hasError, false, `edit ${i} (${JSON.stringify(insert)} at ${at}) keeps the module valid:\n${text}`);
    assert.equal(dumpTree(file.tree.rootNode), dumpTree(pool.parse('python', text).rootNode), `after edit ${i} (${JSON.stringify(insert)} at ${at})`);
  }
  pool.dispose();
});
randomEdits('random edits, some breaking the syntax, in functions and classes reparse to the tree of a full parse', nested, ['x', ' ', '"', '\n', '\n    Y = 2\n', '\n  Z = 3\n', ':', '(', ']', '"""', '', '#'], 300, 17, 3);

test('after an edit the tree takes its row starts from the file\'s line starts when the text has no carriage return', async () => {
  const pool = await ParserPool.create(['python']);
  for (const eol of ['\n', '\r\n']) {
    let text = ['import os', 'DEBUG = False', 'def f():', '    return 1', 'X = 2', ''].join(eol);
    const file = new ParsedFile('/rows.py', text, pool.parse('python', text), 1);
    for (let i = 0; i < 6; i++) {
      const line = text.split(eol).length - 1;
      const change = i % 2 === 0 ? { range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: `Y_${i} = ${i}${eol}` } : { range: { start: { line: 1, character: 0 }, end: { line: 1, character: 1 } }, text: 'd' };
      pool.update('python', file, [change]);
      text = file.text;
      assert.deepEqual(file.tree.rowStarts, [0, ...[...text.matchAll(/\n/g)].map((m) => m.index! + 1)]);
      if (eol === '\n') assert.equal(file.tree.rowStarts, file.lineStarts(text), 'one array for both');
      else assert.notEqual(file.tree.rowStarts, file.lineStarts(text));
      assert.equal(dumpTree(file.tree.rootNode), dumpTree(pool.parse('python', text).rootNode));
    }
  }
  pool.dispose();
});

test('an edit inside a function reparses only the statements around it', async () => {
  const pool = await ParserPool.create(['python']);
  const body = Array.from({ length: 300 }, (_, i) => `    SETTING_${i} = values.get("S${i}", ${i})`).join('\n');
  let text = `def update(values):\n${body}\n    return locals()\n`;
  const file = new ParsedFile('/x.py', text, pool.parse('python', text), 1);
  const parsed: number[] = [];
  type ParseInto = (lang: unknown, text: string, ...rest: unknown[]) => SyntaxNode;
  const internals = pool as unknown as { parseInto: ParseInto };
  const parseInto = internals.parseInto.bind(pool);
  internals.parseInto = (lang, t, ...rest) => {
    parsed.push(t.length);
    return parseInto(lang, t, ...rest);
  };
  const before = file.tree.rootNode.children[0]!;
  const at = text.indexOf('"S150"') + 2;
  pool.update('python', file, [{ range: { start: positionOf(text, at), end: positionOf(text, at) }, text: '9' }]);
  text = text.slice(0, at) + '9' + text.slice(at);
  assert.equal(parsed.length, 1);
  assert.ok(parsed[0]! < 200, `parsed ${parsed[0]} characters of ${text.length}`);
  assert.equal(dumpTree(file.tree.rootNode), dumpTree(pool.parse('python', text).rootNode));
  // The function is a new node (statement caches see it changed), its untouched statements are not.
  const after = file.tree.rootNode.children[0]!;
  assert.notEqual(after, before);
  const block = (n: SyntaxNode) => n.childForFieldName('body')!;
  assert.equal(block(after).children[10], block(before).children[10]);
  assert.notEqual(block(after).children[150], block(before).children[150]);
  pool.dispose();
});

test('typing after the last statement of a module parses the new lines alone, and what continues that statement does not', async () => {
  const pool = await ParserPool.create(['python']);
  const body = Array.from({ length: 200 }, (_, i) => `    SETTING_${i} = values.get("S${i}", ${i})`).join('\n');
  const endings = [
    `def update(values):\n${body}\n    return locals()\n`,
    `if DEBUG:\n${body}\n`,
    `try:\n${body}\nexcept ImportError:\n    pass\n\n\n`,
    `class Settings:\n${body}\n    # trailing comment\n`,
    `X = [\n    1,\n]\nY = 2 \\\n    + 3\n`,
  ];
  // Typed one character at a time at the end, then deleted the same way: each step is compared
  // with a full parse. Lines that continue the statement before (indented, a clause, a decorator)
  // must come out inside it, as a full parse has them.
  const typed = ['#', 'x', 'X = 1', '\n\n# note', '    y = 2', 'else:\n    z = 3', 'except ValueError:\n    pass', 'finally:\n    pass', '@dec', '@dec\ndef g(): pass', '(', ')', '    # c', '\\', 'elif x:\n    pass', ';'];
  let small = 0;
  let steps = 0;
  let long = 0;
  for (const initial of endings) {
    for (const line of typed) {
      let text = initial;
      const file = new ParsedFile('/x.py', text, pool.parse('python', text), 1);
      const internals = pool as unknown as { parseInto: (lang: unknown, t: string, ...rest: unknown[]) => SyntaxNode };
      const parseInto = internals.parseInto.bind(pool);
      internals.parseInto = (lang, t, ...rest) => {
        if (t.length < 100 && initial.length > 1000) small++;
        return parseInto(lang, t, ...rest);
      };
      const edit = (at: number, remove: number, insert: string) => {
        pool.update('python', file, [{ range: { start: positionOf(text, at), end: positionOf(text, at + remove) }, text: insert }]);
        text = text.slice(0, at) + insert + text.slice(at + remove);
        steps++;
        if (initial.length > 1000) long++;
        assert.equal(dumpTree(file.tree.rootNode), dumpTree(pool.parse('python', text).rootNode), `${JSON.stringify(initial.slice(-40))} + ${JSON.stringify(text.slice(initial.length))}`);
      };
      const base = text.length;
      for (const ch of line) edit(text.length, 0, ch);
      while (text.length > base) edit(text.length - 1, 1, '');
      internals.parseInto = parseInto;
    }
  }
  // In the modules that end with a long statement, most steps parse only the lines after it (the
  // comparisons would pass, slowly, without that).
  assert.ok(small > long * 0.6, `${small} of ${long} steps parsed a short region`);
  pool.dispose();
});

test('an edit among top-level statements in the middle of a long module parses only the statements around it', async () => {
  const pool = await ParserPool.create(['python']);
  let text = Array.from({ length: 400 }, (_, i) => `SETTING_${i} = "value ${i}"`).join('\n') + '\n';
  const file = new ParsedFile('/x.py', text, pool.parse('python', text), 1);
  const parsed: number[] = [];
  const internals = pool as unknown as { parseInto: (lang: unknown, t: string, ...rest: unknown[]) => SyntaxNode };
  const parseInto = internals.parseInto.bind(pool);
  for (const at of [text.indexOf('"value 200"') + 3, text.indexOf('SETTING_395')]) {
    internals.parseInto = (lang, t, ...rest) => {
      parsed.push(t.length);
      return parseInto(lang, t, ...rest);
    };
    pool.update('python', file, [{ range: { start: positionOf(text, at), end: positionOf(text, at) }, text: 'x' }]);
    internals.parseInto = parseInto;
    text = text.slice(0, at) + 'x' + text.slice(at);
    assert.equal(dumpTree(file.tree.rootNode), dumpTree(pool.parse('python', text).rootNode));
  }
  assert.ok(parsed.every((n) => n < 300), `parsed ${parsed.join(', ')} characters of ${text.length}`);
  pool.dispose();
});

/** Every Python file under test/fixtures. */

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
      assert.equal(dumpTree(direct.rootNode), dumpTree(viaApi.rootNode), file);
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
      assert.equal(dumpTree(rebuilt.rootNode), dumpTree(direct.rootNode), files[i] ?? text);
      assert.equal(rebuilt.rootNode.toString(), direct.rootNode.toString());
    } finally {
      tree.delete();
    }
  }
  parser.delete();
});

test('lineCount and endOfText count rows as split("\\n") does', () => {
  for (const text of ['', 'a', 'a\n', '\n', 'a\nbc', 'a\r\nbc\r\n', '\n\n\nx', 'é😀\nz']) {
    const rows = text.split('\n');
    assert.equal(lineCount(text), rows.length, JSON.stringify(text));
    assert.deepEqual(endOfText(text), { line: rows.length - 1, character: rows[rows.length - 1]!.length }, JSON.stringify(text));
  }
});

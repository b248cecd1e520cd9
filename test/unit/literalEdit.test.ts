// The dict/list literal editing helpers behind the API, CORS and password fixes: every edit must leave
// Python that parses, keep the literal's layout, never add a key twice, and compose with the edits of
// other fixes applied in the same pass.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SyntaxNode } from '../../server/src/engine/parsing/syntax';
import { applyEdits, compatibleFixes, editsByFile } from '../../server/src/engine/fixes/apply';
import {
  DEFAULT_STYLE,
  deleteStatementEdits,
  elementsOf,
  insertDictEntries,
  insertListItems,
  navigate,
  py,
  removeElement,
  render,
  styleOf,
} from '../../server/src/engine/fixes/literalEdit';
import { ParserPool } from '../../server/src/engine/parsing/documents';
import type { TextEdit } from '../../server/src/engine/types';
import { regexProblem, tightenRegex, urlsplit } from '../../server/src/engine/rules/settings/DJ-SEC-041';
import { validDrfRate } from '../../server/src/engine/rules/apiSettings';
import { pythonParses } from '../helpers/python';

let pool: Promise<ParserPool> | undefined;

async function parse(text: string): Promise<SyntaxNode> {
  pool ??= ParserPool.create(['python']);
  return (await pool).parse('python', text).rootNode;
}

/** The right-hand side of the first assignment to `name`. */
function rhs(root: SyntaxNode, name: string): SyntaxNode {
  for (const stmt of root.namedChildren) {
    const a = stmt.type === 'expression_statement' ? stmt.namedChildren[0] : undefined;
    if (a?.type === 'assignment' && a.childForFieldName('left')?.text === name) return a.childForFieldName('right')!;
  }
  throw new Error(`no ${name}`);
}

/** Apply several fixes' edits together, the way "fix all" does. */
function applyAll(text: string, ...fixes: TextEdit[][]): string {
  const chosen = compatibleFixes(fixes.map((edits, i) => ({ title: String(i), edits, safe: true })));
  const edits = editsByFile(chosen).get('/s.py') ?? [];
  const out = applyEdits(text, edits).text;
  assert.ok(pythonParses(out).ok, out);
  return out;
}

const F = '/s.py';

test('merging keys into a one-per-line dict keeps its indentation and adds the missing comma once', async () => {
  const text = 'X = {\n    "A": 1,\n    "B": [\n        2,\n    ]  # why\n}\n';
  const root = await parse(text);
  const dict = rhs(root, 'X');
  const one = insertDictEntries(F, root, dict, [['C', py.raw('3')]], DEFAULT_STYLE);
  const two = insertDictEntries(F, root, dict, [['D', py.str('d')], ['A', py.raw('9')]], DEFAULT_STYLE);
  assert.equal(applyAll(text, one, two), 'X = {\n    "A": 1,\n    "B": [\n        2,\n    ],  # why\n    "C": 3,\n    "D": "d",\n}\n');
});

test('a key the literal already has is never added again', async () => {
  const text = "X = {'A': 1}\n";
  const root = await parse(text);
  assert.deepEqual(insertDictEntries(F, root, rhs(root, 'X'), [['A', py.raw('2')]], DEFAULT_STYLE), []);
});

test('one-line literals stay on one line, or are laid out one element per line when they outgrow it', async () => {
  const text = "X = {'A': 1}\nY = ('a',)\nZ = {'LONG_KEY_NUMBER_ONE': 'rest_framework.permissions.IsAuthenticated'}\n";
  const root = await parse(text);
  const style = styleOf(root);
  assert.equal(style.quote, "'");
  const a = insertDictEntries(F, root, rhs(root, 'X'), [['B', py.raw('2')]], style);
  const b = insertDictEntries(F, root, rhs(root, 'X'), [['C', py.raw('3')]], style);
  const c = insertListItems(F, root, rhs(root, 'Y'), [py.str('b')], style);
  const d = insertDictEntries(F, root, rhs(root, 'Z'), [['DEFAULT_THROTTLE_CLASSES', py.strs('rest_framework.throttling.AnonRateThrottle')]], style);
  const out = applyAll(text, a, b, c, d);
  assert.equal(
    out,
    "X = {'A': 1, 'B': 2, 'C': 3}\nY = ('a', 'b',)\nZ = {\n    'LONG_KEY_NUMBER_ONE': 'rest_framework.permissions.IsAuthenticated',\n    'DEFAULT_THROTTLE_CLASSES': ['rest_framework.throttling.AnonRateThrottle'],\n}\n",
  );
});

test('an empty literal is rewritten whole, so two fixes on it apply one per pass', async () => {
  const text = 'if True:\n    X = []\n';
  const root = await parse(text);
  const list = navigate(rhs(root.namedChildren[0]!.childForFieldName('consequence')!, 'X'), [])!;
  const a = insertListItems(F, root, list, [py.dict(['NAME', py.str('django.contrib.auth.password_validation.UserAttributeSimilarityValidator')])], DEFAULT_STYLE);
  const b = insertListItems(F, root, list, [py.str('b')], DEFAULT_STYLE);
  const out = applyAll(text, a, b);
  assert.equal(out, 'if True:\n    X = [\n        {\n            "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",\n        },\n    ]\n');
});

test('items go before an element, on their own line when it has one', async () => {
  const text = 'M = [\n    "a",\n    "b",\n]\nH = ["x", "y"]\n';
  const root = await parse(text);
  const m = rhs(root, 'M');
  const h = rhs(root, 'H');
  const out = applyAll(
    text,
    insertListItems(F, root, m, [py.str('first')], DEFAULT_STYLE, { before: elementsOf(m)[0]! }),
    insertListItems(F, root, h, [py.str('w')], DEFAULT_STYLE, { before: elementsOf(h)[1]! }),
  );
  assert.equal(out, 'M = [\n    "first",\n    "a",\n    "b",\n]\nH = ["x", "w", "y"]\n');
});

test('removing elements keeps lists, tuples and comments valid', async () => {
  const cases: [string, number, string][] = [
    ['X = [\n    "a",\n    "b",  # c\n]\n', 1, 'X = [\n    "a",\n]\n'],
    ['X = ["a", "b", "c"]\n', 1, 'X = ["a", "c"]\n'],
    ['X = ["a", "b"]\n', 1, 'X = ["a"]\n'],
    ['X = ("a", "b")\n', 1, 'X = ("a",)\n'],
    ['X = ("a", "b")\n', 0, 'X = ("b",)\n'],
    ['X = (\n    "a",\n    "b"\n)\n', 0, 'X = (\n    "b",\n)\n'],
    ['X = ["a"]\n', 0, 'X = []\n'],
  ];
  for (const [text, index, expected] of cases) {
    const root = await parse(text);
    const list = rhs(root, 'X');
    assert.equal(applyAll(text, removeElement(F, root, list, elementsOf(list)[index]!)), expected, text);
  }
});

test('deleting the only statement of a block leaves pass', async () => {
  const text = 'if A:\n    X = 1\nY = 2\nZ = 3\n';
  const root = await parse(text);
  const block = root.namedChildren[0]!.childForFieldName('consequence')!;
  const stmt = block.namedChildren[0]!;
  const at = (n: SyntaxNode) => ({ file: F, range: { start: { line: n.startPosition.row, character: n.startPosition.column }, end: { line: n.endPosition.row, character: n.endPosition.column } } });
  assert.equal(applyAll(text, deleteStatementEdits(F, root, at(stmt))), 'if A:\n    pass\nY = 2\nZ = 3\n');
  assert.equal(applyAll(text, deleteStatementEdits(F, root, at(root.namedChildren[1]!))), 'if A:\n    X = 1\nZ = 3\n');
});

test('render lays out to the line width and quotes in the file style', () => {
  const style = { ...DEFAULT_STYLE, quote: "'" as const };
  assert.equal(render(py.dict(['a', py.strs('x', "it's")]), style, '', 0), `{'a': ['x', "it's"]}`);
  assert.equal(render(py.list(py.str('x'.repeat(90))), DEFAULT_STYLE, '    ', 4), `[\n        "${'x'.repeat(90)}",\n    ]`);
});

test('navigate follows keys and indexes through literals', async () => {
  const root = await parse('X = [{"OPTIONS": {"min_length": 8}}]\n');
  assert.equal(navigate(rhs(root, 'X'), [0, 'OPTIONS'])?.text, '{"min_length": 8}');
  assert.equal(navigate(rhs(root, 'X'), [1]), undefined);
});

test('CORS origins are parsed the way corsheaders does', () => {
  assert.deepEqual(urlsplit('https://a.example.com:8443'), { scheme: 'https', netloc: 'a.example.com:8443', path: '', params: '', query: '', fragment: '' });
  assert.equal(urlsplit('example.com').scheme, '');
  assert.equal(urlsplit('localhost:3000').netloc, '');
  assert.equal(urlsplit('https://example.com/').path, '/');
});

test('origin regexes: look-alike origins are found and tightened', () => {
  assert.equal(regexProblem('^https://.*$')?.kind, 'any');
  assert.equal(regexProblem('^https://example\\.com')?.kind, 'suffix');
  assert.equal(regexProblem('^https://.*example\\.com$')?.kind, 'prefix');
  assert.equal(regexProblem('^https://api.example.com$')?.kind, 'dot');
  assert.equal(regexProblem('^https://([a-z0-9-]+\\.)?example\\.com$'), undefined);
  assert.equal(tightenRegex('^https://api.example.com'), '^https://api\\.example\\.com$');
  assert.equal(tightenRegex('^https://.*example\\.com$'), undefined);
});

test('DRF rates follow DRF\'s own parser', () => {
  for (const ok of ['100/hour', '5/m', '1_000/day', ' 10 /s']) assert.ok(validDrfRate(ok), ok);
  for (const bad of ['100 per hour', '100/week', '100/', 'ten/m', '1/2/h']) assert.ok(!validDrfRate(bad), bad);
});

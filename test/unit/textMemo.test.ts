// Patterns asked about a file's text again after an edit are re-read only around the edit
// (textMemo.matches): every answer must equal a scan of the whole new text.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { matches, noteEdit, patternCounts, patternShape } from '../../server/src/engine/textMemo';
import { pythonFixtures } from '../helpers/engine';

test('the longest match of a pattern (whitespace runs apart), or null when unbounded otherwise or not followed', () => {
  const cases: [string, string, number | null, boolean?][] = [
    ['PASSWORD|USER|DATABASES', '', 9],
    ['django-readiness|noqa', 'i', 16],
    ['request\\.FILES\\b', '', 13],
    ['\\b(FileField|ImageField)\\s*\\(', '', 11, true],
    ['csrf|urlpatterns|\\.\\s*execute|\\.raw\\(', '', 11, true],
    ['a\\s+?b', '', 2, true],
    ['[\\s]*x', '', null],
    ['\\w*x', '', null],
    ['a{2,5}b?', '', 6],
    ['a{3}', '', 3],
    ['a{2,}', '', null],
    ['(?:ab|c){3}x', '', 7],
    ['[a-z\\]]x', '', 2],
    ['[^]]', '', 1],
    ['(?=x)y', '', null],
    ['(?<n>x)', '', null],
    ['(a)\\1', '', null],
    ['^abc$', 'm', 3],
    ['^abc', '', null],
    ['a+?', '', null],
    ['a??b', '', 2],
    ['\\u0041', '', null],
    ['x{', '', null],
    ['(ab', '', null],
  ];
  for (const [source, flags, bound, runs] of cases) {
    assert.deepEqual(patternShape(source, flags.includes('m')), bound === null ? null : { bound, whitespaceRuns: runs ?? false }, `/${source}/${flags}`);
  }
});

/** A small deterministic generator (the same run every time). */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return x / 0x80000000;
  };
}

const PATTERNS = [/PASSWORD|USER|DATABASES/, /django-readiness|noqa/i, /request\.FILES\b/, /\bdef\b/, /^import\b/m, /os\.environ\[/, /x{2,3}/, /\b(FileField|ImageField)\s*\(/, /ab$/m, /csrf|\.\s*execute|\.raw\(/, /x\s+ab\b/];
const PIECES = ['PASSWORD', 'USER', 'DATA', 'BASES', 'noqa', 'NoQa', 'django-', 'readiness', 'request', '.FILES', 'FILESx', 'def', 'import', 'os.environ[', 'x', 'ab', ' ', '\n', '\r\n', '_', '#', 'FileField', '(', '  ', '.', 'exec', 'ute', 'execute', '\t', '        ', '.raw', 'csrf'];

test('after random edits, every pattern answers as a scan of the whole new text does', () => {
  const next = random(7);
  const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)]!;
  const before = { ...patternCounts };
  for (let doc = 0; doc < 40; doc++) {
    const file = `/memo-test/${doc}.py`;
    let text = Array.from({ length: 40 + Math.floor(next() * 200) }, () => pick(PIECES)).join('');
    for (const re of PATTERNS) assert.equal(matches(file, text, re), re.test(text));
    for (let edit = 0; edit < 150; edit++) {
      const start = Math.floor(next() * (text.length + 1));
      const end = Math.min(text.length, start + Math.floor(next() * 12));
      const inserted = next() < 0.4 ? '' : Array.from({ length: 1 + Math.floor(next() * 3) }, () => pick(PIECES)).join('');
      const after = text.slice(0, start) + inserted + text.slice(end);
      // Most edits are noted (the parser's path); some are not (a file changed on disk).
      if (next() < 0.9) noteEdit(file, text, after, start, end, start + inserted.length);
      text = after;
      for (const re of PATTERNS) assert.equal(matches(file, text, re), re.test(text), `${re} after edit ${edit} of document ${doc}: ${JSON.stringify(text)}`);
    }
  }
  assert.ok(patternCounts.nearEdit - before.nearEdit > 10_000, 'most answers came from around the edit');
});

test('typing in a large module re-reads only around the edit, and fixtures answer as whole scans do', () => {
  const texts = pythonFixtures().map((f) => readFileSync(f, 'utf8'));
  const big = texts.join('\n');
  const file = '/memo-test/big.py';
  const re = /PASSWORD|USER|DATABASES/;
  let text = big;
  assert.equal(matches(file, text, re), re.test(text));
  const before = { ...patternCounts };
  for (let i = 0; i < 50; i++) {
    const at = text.length;
    const after = i % 2 === 0 ? text + '#' : text.slice(0, -1);
    noteEdit(file, text, after, i % 2 === 0 ? at : at - 1, i % 2 === 0 ? at : at, i % 2 === 0 ? at + 1 : at - 1);
    text = after;
    assert.equal(matches(file, text, re), re.test(text));
  }
  assert.equal(patternCounts.wholeText - before.wholeText, 0, 'no keystroke scanned the whole module');
});

test('a match that reaches an edit across a long whitespace run is found', () => {
  const re = /csrf|\.\s*execute|\.raw\(/;
  const file = '/memo-test/runs.py';
  let text = `rows = cursor.\n${' '.repeat(40)}exec`;
  assert.equal(matches(file, text, re), false);
  const after = text + 'ute(sql)';
  noteEdit(file, text, after, text.length, text.length, after.length);
  text = after;
  assert.equal(matches(file, text, re), true, 'the dot is 45 characters before the edit');
  // And the other way: typed before a run that leads to the rest of the match.
  const other = '/memo-test/runs-left.py';
  let t = `rows = cursor${' '.repeat(30)}\n${' '.repeat(30)}execute(sql)`;
  assert.equal(matches(other, t, re), false);
  const typed = t.slice(0, 13) + '.' + t.slice(13);
  noteEdit(other, t, typed, 13, 13, 14);
  t = typed;
  assert.equal(matches(other, t, re), true, 'execute is 61 characters after the edit');
});

test('random edits in whitespace-heavy text answer as whole scans do', () => {
  const next = random(11);
  const pieces = [' ', '  ', '\n', '\t', '        ', '.', 'exec', 'ute', 'x', 'ab', '(', 'csrf', 'cs', 'rf', 'FileField', 'Image'];
  const patterns = [/csrf|\.\s*execute|\.raw\(/, /\b(FileField|ImageField)\s*\(/, /x\s+ab\b/, /\.\s+e/];
  for (let doc = 0; doc < 30; doc++) {
    const file = `/memo-test/ws-${doc}.py`;
    let text = Array.from({ length: 60 }, () => pieces[Math.floor(next() * pieces.length)]!).join('');
    for (const re of patterns) matches(file, text, re);
    for (let edit = 0; edit < 200; edit++) {
      const start = Math.floor(next() * (text.length + 1));
      const end = Math.min(text.length, start + Math.floor(next() * 6));
      const inserted = next() < 0.3 ? '' : pieces[Math.floor(next() * pieces.length)]!;
      const after = text.slice(0, start) + inserted + text.slice(end);
      noteEdit(file, text, after, start, end, start + inserted.length);
      text = after;
      for (const re of patterns) assert.equal(matches(file, text, re), re.test(text), `${re} after edit ${edit}: ${JSON.stringify(text)}`);
    }
  }
});

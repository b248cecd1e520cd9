// parsing/lines.ts answers what splitting the whole text would, without splitting it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lineAt, rowStarts, textBetween } from '../../server/src/engine/parsing/lines';

/** What textBetween replaces: the rows of split('\n'), sliced and joined. */
function bySplitting(text: string, start: { line: number; character: number }, end: { line: number; character: number }): string | undefined {
  const lines = text.split('\n');
  if (lines[start.line] === undefined) return undefined;
  if (start.line === end.line) return lines[start.line]!.slice(start.character, end.character);
  const parts = lines.slice(start.line, end.line + 1);
  parts[0] = parts[0]!.slice(start.character);
  parts[parts.length - 1] = parts[parts.length - 1]!.slice(0, end.character);
  return parts.join('\n');
}

function randomText(seed: number): string {
  let s = seed;
  const next = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const pieces = ['x = 1', '', '  ', 'def f():', '    return "é😀"', '\r', '#', 'DEBUG = True'];
  const out: string[] = [];
  const n = Math.floor(next() * 12);
  for (let i = 0; i < n; i++) out.push(pieces[Math.floor(next() * pieces.length)]!);
  return out.join(next() < 0.3 ? '\r\n' : '\n') + (next() < 0.5 ? '\n' : '');
}

test('lineAt is split("\\n")[row], trailing \\r included, undefined past the end', () => {
  for (let seed = 1; seed < 300; seed++) {
    const text = randomText(seed);
    const lines = text.split('\n');
    for (let row = 0; row <= lines.length + 1; row++) assert.equal(lineAt(text, row), lines[row], `seed ${seed} row ${row}`);
    assert.deepEqual(rowStarts(text).length, lines.length);
  }
});

test('textBetween is the rows of split("\\n") sliced and joined, for positions within and past a row', () => {
  for (let seed = 1; seed < 300; seed++) {
    const text = randomText(seed);
    const rows = text.split('\n').length;
    for (let a = 0; a < rows; a++) {
      for (let b = a; b < rows; b++) {
        for (const [ca, cb] of [[0, 0], [1, 3], [0, 40], [5, 2], [40, 40]] as const) {
          if (a === b && ca > cb) continue;
          const start = { line: a, character: ca };
          const end = { line: b, character: cb };
          assert.equal(textBetween(text, start, end), bySplitting(text, start, end), `seed ${seed} ${a}:${ca}-${b}:${cb}`);
        }
      }
    }
    assert.equal(textBetween(text, { line: rows, character: 0 }, { line: rows, character: 1 }), undefined);
  }
});

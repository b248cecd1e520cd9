import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits } from '../../server/src/engine/fixes/apply';
import { replacementEdit } from '../../server/src/engine/fixes/textDiff';

const roundTrip = (before: string, after: string) => {
  const edit = replacementEdit('/f.py', before, after);
  assert.ok(edit);
  assert.equal(applyEdits(before, [edit]).text, after);
  return edit;
};

test('equal texts need no edit', () => {
  assert.equal(replacementEdit('/f.py', 'a\n', 'a\n'), undefined);
});

test('only the changed span is replaced', () => {
  const edit = roundTrip('from .base import *\n', 'from .base import *\nimport os\nDEBUG = False\n');
  assert.deepEqual(edit.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } });
  assert.equal(edit.newText, 'import os\nDEBUG = False\n');
  const mid = roundTrip('A = 1\nDEBUG = True\nB = 2\n', 'A = 1\nDEBUG = False\nB = 2\n');
  // `True` → `False` share the final `e`.
  assert.deepEqual(mid.range, { start: { line: 1, character: 8 }, end: { line: 1, character: 11 } });
  assert.equal(mid.newText, 'Fals');
});

test('deletions, whole replacements and empty texts', () => {
  roundTrip('a\nb\nc\n', 'a\nc\n');
  roundTrip('abc', 'xyz');
  roundTrip('', 'x = 1\n');
  roundTrip('x = 1\n', '');
});

test('never splits a CRLF pair or a surrogate pair', () => {
  const crlf = roundTrip('a\r\nb\r\n', 'a\nb\r\n');
  assert.ok(crlf.range.start.character <= 1);
  roundTrip('a\r\n', 'a\r\r\n');
  // Two emoji sharing their high surrogate.
  const emoji = roundTrip('x = "😀"\n', 'x = "😃"\n');
  assert.equal(emoji.newText.length % 2, 0);
  assert.ok(emoji.newText.includes('😃'));
});

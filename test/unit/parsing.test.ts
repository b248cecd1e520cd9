// Incremental reparsing must give the same tree as a fresh parse, whatever the edits.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ParsedFile, ParserPool, computeLineStarts } from '../../server/src/engine/parsing/documents';

function positionOf(text: string, offset: number) {
  const starts = computeLineStarts(text);
  let line = 0;
  while (line + 1 < starts.length && starts[line + 1]! <= offset) line++;
  return { line, character: offset - starts[line]! };
}

test('random incremental edits reparse to the same tree as a full parse', async () => {
  const pool = await ParserPool.create(['python']);
  let text = 'import os\n\nDEBUG = os.getenv("DEBUG", "True") == "True"\nMIDDLEWARE = [\n    "a",\n    "b",\n]\nif not DEBUG:\n    X = 1\n';
  const file = new ParsedFile('/x.py', text, pool.parse('python', text), 1);
  let seed = 42;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const snippets = ['x', '\n', ' = ', '"é😀"', '(', ')', '[1, 2]', '#c\n', 'if a:\n    b = 2\n', ''];
  for (let i = 0; i < 300; i++) {
    const start = rand(text.length + 1);
    const end = Math.min(text.length, start + rand(6));
    const insert = snippets[rand(snippets.length)]!;
    const change = { range: { start: positionOf(text, start), end: positionOf(text, end) }, text: insert };
    pool.update('python', file, [change]);
    text = text.slice(0, start) + insert + text.slice(end);
    assert.equal(file.text, text);
    const fresh = pool.parse('python', text);
    assert.equal(file.tree.rootNode.toString(), fresh.rootNode.toString(), `after edit ${i}`);
    fresh.delete();
  }
  file.tree.delete();
  pool.dispose();
});

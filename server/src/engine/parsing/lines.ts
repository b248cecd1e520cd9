// Lines of a text by number without splitting the whole text: fixes and rules ask for one line
// (its indentation, whether a bracket is alone on it) of modules hundreds of lines long, on every
// analysis. Rows end at "\n", as String.split('\n') and tree-sitter count them, so a line keeps a
// trailing "\r" as split would.

/** Offsets of the start of each row of `text`. */
export function rowStarts(text: string): number[] {
  const starts = [0];
  let i = text.indexOf('\n');
  while (i >= 0) {
    starts.push(i + 1);
    i = text.indexOf('\n', i + 1);
  }
  return starts;
}

/** The number of rows of `text` (what `text.split('\n').length` is). */
export function lineCount(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** The position just past the end of `text` (the last row and its length, as split('\n') counts them). */
export function endOfText(text: string): { line: number; character: number } {
  const last = text.lastIndexOf('\n');
  return { line: lineCount(text) - 1, character: text.length - (last + 1) };
}

// The row starts of the texts asked about last (an edit alternates between a few texts).
const recent: { text: string; starts: number[] }[] = [];

function startsOf(text: string): number[] {
  for (const r of recent) if (r.text === text) return r.starts;
  const starts = rowStarts(text);
  recent.unshift({ text, starts });
  if (recent.length > 4) recent.pop();
  return starts;
}

/** Row `row` of `text` without its "\n" (what `text.split('\n')[row]` is), undefined past the end. */
export function lineAt(text: string, row: number): string | undefined {
  const starts = startsOf(text);
  const from = starts[row];
  if (from === undefined) return undefined;
  const next = starts[row + 1];
  return text.slice(from, next === undefined ? text.length : next - 1);
}

/**
 * The text from (startRow, startCharacter) to (endRow, endCharacter), a character past the end of
 * its row standing for the row's end (as slicing the rows of `split('\n')` and joining them would);
 * undefined when the start row is past the end of the text.
 */
export function textBetween(text: string, start: { line: number; character: number }, end: { line: number; character: number }): string | undefined {
  const starts = startsOf(text);
  const at = (p: { line: number; character: number }): number | undefined => {
    const from = starts[p.line];
    if (from === undefined) return undefined;
    const next = starts[p.line + 1];
    const rowEnd = next === undefined ? text.length : next - 1;
    return Math.min(from + p.character, rowEnd);
  };
  const from = at(start);
  if (from === undefined) return undefined;
  const to = at(end) ?? text.length;
  return to > from ? text.slice(from, to) : '';
}

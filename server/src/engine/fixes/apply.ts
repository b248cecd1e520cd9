// Applying text edits to file contents: the CLI's --fix, fix-all and the tests all use this.
import { computeLineStarts, offsetAt } from '../parsing/documents';
import { comparePositions, type Fix, type TextEdit } from '../types';

/** Apply edits to one text. Overlapping edits are skipped (the first one wins), never merged. */
export function applyEdits(text: string, edits: TextEdit[]): { text: string; applied: TextEdit[] } {
  const lineStarts = computeLineStarts(text);
  const withOffsets = edits.map((e, i) => ({ e, i, start: offsetAt(text, lineStarts, e.range.start), end: offsetAt(text, lineStarts, e.range.end) }));
  // Keep edits in their given order for equal positions (imports before the body that needs them).
  withOffsets.sort((a, b) => a.start - b.start || a.end - b.end || a.i - b.i);
  const kept: typeof withOffsets = [];
  let lastEnd = -1;
  for (const w of withOffsets) {
    if (w.start < lastEnd) continue;
    kept.push(w);
    lastEnd = Math.max(lastEnd, w.end);
  }
  let out = '';
  let pos = 0;
  for (const w of kept) {
    out += text.slice(pos, w.start) + w.e.newText;
    pos = w.end;
  }
  out += text.slice(pos);
  return { text: out, applied: kept.map((k) => k.e) };
}

/**
 * Choose a set of fixes whose edits do not overlap one another (a fix is all-or-nothing) and
 * that do not repeat an insertion another chosen fix already makes (two rules adding `import os`).
 */
export function compatibleFixes(fixes: Fix[]): Fix[] {
  const chosen: Fix[] = [];
  const taken: TextEdit[] = [];
  const overlaps = (a: TextEdit, b: TextEdit) =>
    a.file === b.file && comparePositions(a.range.start, b.range.end) < 0 && comparePositions(b.range.start, a.range.end) < 0;
  for (const fix of fixes) {
    if (fix.edits.length === 0) continue;
    if (fix.edits.some((e) => taken.some((t) => overlaps(e, t)))) continue;
    chosen.push(fix);
    taken.push(...fix.edits);
  }
  return chosen;
}

/** Group edits by file, dropping exact duplicates (same place, same text). */
export function editsByFile(fixes: Fix[]): Map<string, TextEdit[]> {
  const out = new Map<string, TextEdit[]>();
  for (const fix of fixes) {
    for (const e of fix.edits) {
      const list = out.get(e.file) ?? [];
      if (!list.some((x) => x.newText === e.newText && comparePositions(x.range.start, e.range.start) === 0 && comparePositions(x.range.end, e.range.end) === 0)) list.push(e);
      out.set(e.file, list);
    }
  }
  return out;
}

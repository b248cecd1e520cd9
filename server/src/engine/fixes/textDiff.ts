// Turns "the new full text of a file" (what `Analyzer.fixAll` returns) into one text edit. The
// edit replaces only the span between the common prefix and suffix of the two texts, so an editor
// applying it keeps the cursor, folding and undo history outside that span.
import { computeLineStarts } from '../parsing/documents';
import { positionAtOffset } from '../parsing/locations';
import type { Position, TextEdit } from '../types';

const positionAt = positionAtOffset;

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** One edit turning `before` into `after`; undefined when they are equal. */
export function replacementEdit(file: string, before: string, after: string): TextEdit | undefined {
  if (before === after) return undefined;
  const max = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < max - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  // Never cut a CRLF pair or a surrogate pair: positions inside them do not exist in LSP.
  const splits = (text: string, at: number) =>
    at > 0 && at < text.length && ((text.charCodeAt(at - 1) === 13 && text.charCodeAt(at) === 10) || (isHighSurrogate(text.charCodeAt(at - 1)) && isLowSurrogate(text.charCodeAt(at))));
  while (prefix > 0 && (splits(before, prefix) || splits(after, prefix))) prefix--;
  while (suffix > 0 && (splits(before, before.length - suffix) || splits(after, after.length - suffix))) suffix--;
  const lineStarts = computeLineStarts(before);
  return {
    file,
    range: { start: positionAt(lineStarts, prefix), end: positionAt(lineStarts, before.length - suffix) },
    newText: after.slice(prefix, after.length - suffix),
  };
}

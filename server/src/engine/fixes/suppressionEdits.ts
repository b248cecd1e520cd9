// Text edits behind the "Disable <ID> for this line / for this file" quick fixes. Pure functions
// over a file's text (no LSP types), so the language server, a future CLI `--add-ignore` and the
// tests share them. The comments they write are the ones `suppress.ts` reads.
import { computeLineStarts } from '../parsing/documents';
import { type TextEdit, rangeOf } from '../types';

export const LINE_DIRECTIVE_PREFIX = '# django-readiness: ignore';
export const FILE_DIRECTIVE_PREFIX = '# django-readiness: ignore-file';

/** An existing same-line directive: `ignore` not followed by `-file`, with an optional id list. */
const LINE_DIRECTIVE = /#\s*django-readiness:\s*ignore(?:\[([^\]]*)\])?(?!-)/;
const FILE_DIRECTIVE = /^\s*#\s*django-readiness:\s*ignore-file(?:\[([^\]]*)\])?/;
/** PEP 263: `# -*- coding: utf-8 -*-`, `# vim: set fileencoding=utf-8 :`. */
const CODING = /^[ \t\f]*#.*?coding[:=][ \t]*[-\w.]+/;

interface Lines {
  starts: number[];
  /** Line texts without their line break. */
  texts: string[];
  eol: string;
}

function splitLines(text: string): Lines {
  const starts = computeLineStarts(text);
  const texts = starts.map((start, i) => {
    const next = starts[i + 1] ?? text.length;
    return text.slice(start, next).replace(/\r?\n$|\r$/, '');
  });
  return { starts, texts, eol: text.includes('\r\n') ? '\r\n' : '\n' };
}

/**
 * The edit that adds `id` to the bracketed list of an existing directive, or `null` when the
 * directive already covers it (the id is listed, or the list is absent/empty, which means every
 * rule).
 */
function addToList(file: string, line: number, lineText: string, match: RegExpExecArray, id: string): TextEdit | null {
  const list = match[1];
  if (list === undefined || list.trim() === '') return null;
  const ids = list.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
  if (ids.includes(id.toUpperCase())) return null;
  // Insert right after the last non-blank character inside the brackets.
  const closing = match.index + match[0].length - 1;
  let at = closing;
  while (at > 0 && /\s/.test(lineText[at - 1]!)) at--;
  return { file, range: rangeOf(line, at, line, at), newText: `, ${id}` };
}

interface LineScan {
  /** Column where a `#` comment starts outside any string, if any. */
  commentStart?: number;
  /** The line ends inside a triple-quoted string that continues on the next line. */
  endsInString: boolean;
  /** The line ends with a backslash continuation (outside a comment). */
  continues: boolean;
}

/** A one-line scan of Python strings and comments, enough to place a trailing comment safely. */
export function scanPythonLine(line: string): LineScan {
  let i = 0;
  while (i < line.length) {
    const c = line[i]!;
    if (c === '#') return { commentStart: i, endsInString: false, continues: false };
    if (c === '"' || c === "'") {
      const triple = line.startsWith(c.repeat(3), i);
      const quote = triple ? c.repeat(3) : c;
      let j = i + quote.length;
      let closed = false;
      while (j < line.length) {
        if (line[j] === '\\') {
          j += 2;
          continue;
        }
        if (line.startsWith(quote, j)) {
          closed = true;
          j += quote.length;
          break;
        }
        j++;
      }
      if (!closed) return { endsInString: triple, continues: !triple && line.trimEnd().endsWith('\\') };
      i = j;
      continue;
    }
    i++;
  }
  return { endsInString: false, continues: line.trimEnd().endsWith('\\') };
}

/**
 * "Disable <id> for this line": appends `  # django-readiness: ignore[<id>]` to the end of `line`,
 * or adds the id to the list of a directive the line already has. When a trailing comment would
 * land inside a string or after a backslash continuation, the directive goes on its own line above
 * instead (which `suppress.ts` also honours). Returns undefined when the line is already covered
 * or does not exist.
 */
export function disableLineEdit(file: string, text: string, line: number, id: string): TextEdit | undefined {
  const lines = splitLines(text);
  const lineText = lines.texts[line];
  if (lineText === undefined) return undefined;
  const existing = LINE_DIRECTIVE.exec(lineText);
  if (existing) return addToList(file, line, lineText, existing, id) ?? undefined;

  const scan = scanPythonLine(lineText);
  if (scan.endsInString || scan.continues) {
    const above = line > 0 ? lines.texts[line - 1] : undefined;
    if (above !== undefined && /^\s*#/.test(above)) {
      const m = LINE_DIRECTIVE.exec(above);
      if (m) return addToList(file, line - 1, above, m, id) ?? undefined;
    }
    const indent = /^[ \t]*/.exec(lineText)![0];
    return { file, range: rangeOf(line, 0, line, 0), newText: `${indent}${LINE_DIRECTIVE_PREFIX}[${id}]${lines.eol}` };
  }

  const end = lineText.trimEnd().length;
  const newText = end === 0 ? `${LINE_DIRECTIVE_PREFIX}[${id}]` : `  ${LINE_DIRECTIVE_PREFIX}[${id}]`;
  // Replace trailing whitespace so the comment sits two spaces after the code.
  return { file, range: rangeOf(line, end, line, lineText.length), newText };
}

/** The 0-based line a file-level directive goes on: after a shebang and a PEP 263 coding line. */
export function fileDirectiveLine(text: string): number {
  const { texts } = splitLines(text);
  let line = 0;
  if (texts[0]?.startsWith('#!')) line = 1;
  // The coding declaration counts on line 1, or on line 2 when line 1 is a comment or blank.
  if (texts[0] !== undefined && CODING.test(texts[0])) line = Math.max(line, 1);
  else if (texts[1] !== undefined && CODING.test(texts[1]) && /^\s*(#.*)?$/.test(texts[0] ?? '')) line = Math.max(line, 2);
  return line;
}

/**
 * "Disable <id> for this file": inserts `# django-readiness: ignore-file[<id>]` as a new line at
 * the top (after a shebang and a coding line), or adds the id to an existing file directive.
 * Returns undefined when the file already ignores the id.
 */
export function disableFileEdit(file: string, text: string, id: string): TextEdit | undefined {
  const lines = splitLines(text);
  for (let i = 0; i < lines.texts.length; i++) {
    const m = FILE_DIRECTIVE.exec(lines.texts[i]!);
    // Reuse the first directive; one that covers every rule already hides the id.
    if (m) return addToList(file, i, lines.texts[i]!, m, id) ?? undefined;
  }
  const line = fileDirectiveLine(text);
  const directive = `${FILE_DIRECTIVE_PREFIX}[${id}]`;
  if (line < lines.texts.length) {
    return { file, range: rangeOf(line, 0, line, 0), newText: directive + lines.eol };
  }
  // The file ends on the shebang/coding line without a line break.
  const last = lines.texts.length - 1;
  const col = lines.texts[last]!.length;
  return { file, range: rangeOf(last, col, last, col), newText: lines.eol + directive + lines.eol };
}

// Plain data shared by the engine, the CLI and the language server. Positions are 0-based and count
// UTF-16 code units, exactly like LSP and like web-tree-sitter's columns on JS strings, so no
// conversion happens anywhere between the parser and the editor.

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A place in a workspace file; `file` is an absolute path. */
export interface Location {
  file: string;
  range: Range;
}

export interface TextEdit {
  file: string;
  range: Range;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** Safe fixes are applied by "fix all"; unsafe ones only on explicit request. */
  safe: boolean;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface RelatedInformation {
  location: Location;
  message: string;
}

export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  file: string;
  range: Range;
  /** Django system-check ids this finding mirrors (e.g. "security.W018"). */
  djangoChecks: string[];
  /** First fix is the preferred one. */
  fixes: Fix[];
  related?: RelatedInformation[];
}

export function rangeOf(startLine: number, startChar: number, endLine: number, endChar: number): Range {
  return { start: { line: startLine, character: startChar }, end: { line: endLine, character: endChar } };
}

export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

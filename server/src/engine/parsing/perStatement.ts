// Per-statement results of a scan over a module. A rule that scans a whole settings module for
// assignments or string literals runs on every keystroke; the module's top-level statements are
// the same node objects after an edit elsewhere (region reparse), so their results are kept and
// only the statements an edit touched, or moved to another row, are scanned again.
import type { SyntaxNode } from './syntax';

const tables = new Map<string, WeakMap<SyntaxNode, { file: string; row: number; value: unknown[] }>>();

/** A module's last result: its text, the statements it was made from and each one's part. */
interface ModuleResult {
  file: string;
  text: string;
  statements: SyntaxNode[];
  rows: number[];
  parts: unknown[][];
  value: unknown[];
}
const modules = new Map<string, WeakMap<SyntaxNode, ModuleResult>>();

/**
 * `scan` applied to each top-level statement of `root` (a module), results concatenated in order.
 * Results may hold locations: a statement that moved to another row is scanned again. The result
 * is shared between callers: read it, do not change it.
 *
 * The module's last result is kept: while the text is the same it is the answer, and after a
 * region reparse (which replaces a run of statements and keeps the others) the statements before
 * and after the run keep their parts without a lookup each (a 3,000-statement module is scanned by
 * several rules on every keystroke).
 */
export function perStatement<T>(kind: string, file: string, root: SyntaxNode, scan: (stmt: SyntaxNode) => T[]): readonly T[] {
  if (root.parent !== null) return scan(root);
  let whole = modules.get(kind);
  if (!whole) modules.set(kind, (whole = new WeakMap()));
  // A region reparse keeps the root object and gives the tree a new text string.
  const text = root.tree.text;
  const last = whole.get(root);
  if (last && last.file === file && last.text === text) return last.value as T[];
  let table = tables.get(kind);
  if (!table) tables.set(kind, (table = new WeakMap()));
  const statements = root.children;
  const n = statements.length;
  const parts: unknown[][] = new Array(n);
  const rows: number[] = new Array(n);
  // The unchanged statements at both ends, by identity and row.
  let prefix = 0;
  let suffix = 0;
  if (last && last.file === file) {
    const before = last.statements;
    const m = before.length;
    while (prefix < n && prefix < m && statements[prefix] === before[prefix] && statements[prefix]!.startRow === last.rows[prefix]) {
      parts[prefix] = last.parts[prefix]!;
      rows[prefix] = last.rows[prefix]!;
      prefix++;
    }
    while (suffix < n - prefix && suffix < m - prefix && statements[n - 1 - suffix] === before[m - 1 - suffix] && statements[n - 1 - suffix]!.startRow === last.rows[m - 1 - suffix]) {
      parts[n - 1 - suffix] = last.parts[m - 1 - suffix]!;
      rows[n - 1 - suffix] = last.rows[m - 1 - suffix]!;
      suffix++;
    }
  }
  for (let i = prefix; i < n - suffix; i++) {
    const stmt = statements[i]!;
    let hit = table.get(stmt);
    if (!hit || hit.file !== file || hit.row !== stmt.startRow) table.set(stmt, (hit = { file, row: stmt.startRow, value: scan(stmt) }));
    parts[i] = hit.value;
    rows[i] = stmt.startRow;
  }
  const out: T[] = [];
  for (const part of parts) for (const v of part) out.push(v as T);
  whole.set(root, { file, text, statements: statements.slice(), rows, parts, value: out });
  return out;
}

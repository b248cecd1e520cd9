// Per-statement results of a scan over a module. A rule that scans a whole settings module for
// assignments or string literals runs on every keystroke; the module's top-level statements are
// the same node objects after an edit elsewhere (region reparse), so their results are kept and
// only the statements an edit touched, or moved to another row, are scanned again.
import type { SyntaxNode } from './syntax';

const tables = new Map<string, WeakMap<SyntaxNode, { file: string; row: number; value: unknown[] }>>();

/**
 * `scan` applied to each top-level statement of `root` (a module), results concatenated in order.
 * Results may hold locations: a statement that moved to another row is scanned again.
 */
export function perStatement<T>(kind: string, file: string, root: SyntaxNode, scan: (stmt: SyntaxNode) => T[]): T[] {
  if (root.parent !== null) return scan(root);
  let table = tables.get(kind);
  if (!table) tables.set(kind, (table = new WeakMap()));
  const out: T[] = [];
  for (const stmt of root.children) {
    let hit = table.get(stmt);
    if (!hit || hit.file !== file || hit.row !== stmt.startRow) table.set(stmt, (hit = { file, row: stmt.startRow, value: scan(stmt) }));
    for (const v of hit.value) out.push(v as T);
  }
  return out;
}

// Per-statement results of a scan over a module. A rule that scans a whole settings module for
// assignments or string literals runs on every keystroke; the module's top-level statements are
// the same node objects after an edit elsewhere (region reparse), so their results are kept and
// only the statements an edit touched, or moved to another row, are scanned again.
import type { SyntaxNode } from './syntax';

const tables = new Map<string, WeakMap<SyntaxNode, { file: string; row: number; value: unknown[] }>>();
/** Whole-module results while the module's text is the same: the other modules of a project. */
const modules = new Map<string, WeakMap<SyntaxNode, { file: string; text: string; value: unknown[] }>>();

/**
 * `scan` applied to each top-level statement of `root` (a module), results concatenated in order.
 * Results may hold locations: a statement that moved to another row is scanned again. The result
 * is shared between callers: read it, do not change it.
 */
export function perStatement<T>(kind: string, file: string, root: SyntaxNode, scan: (stmt: SyntaxNode) => T[]): readonly T[] {
  if (root.parent !== null) return scan(root);
  let whole = modules.get(kind);
  if (!whole) modules.set(kind, (whole = new WeakMap()));
  // A region reparse keeps the root object and gives the tree a new text string.
  const text = root.tree.text;
  const known = whole.get(root);
  if (known && known.file === file && known.text === text) return known.value as T[];
  let table = tables.get(kind);
  if (!table) tables.set(kind, (table = new WeakMap()));
  const out: T[] = [];
  for (const stmt of root.children) {
    let hit = table.get(stmt);
    if (!hit || hit.file !== file || hit.row !== stmt.startRow) table.set(stmt, (hit = { file, row: stmt.startRow, value: scan(stmt) }));
    for (const v of hit.value) out.push(v as T);
  }
  whole.set(root, { file, text, value: out });
  return out;
}

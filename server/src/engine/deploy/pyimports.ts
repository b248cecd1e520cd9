// Top-level modules a Python file imports, with where and whether the import is optional (inside
// `try:`), read from the shared tree-sitter trees.
import type { SyntaxNode } from '../parsing/syntax';
import { nodeRange } from '../parsing/locations';
import { perStatement } from '../parsing/perStatement';
import type { PythonSources } from '../project/sources';
import type { Range } from '../types';

export interface ImportUse {
  module: string;
  range: Range;
  optional: boolean;
}

const rangeOf = nodeRange;

function insideTry(n: SyntaxNode): boolean {
  for (let p = n.parent; p; p = p.parent) if (p.type === 'try_statement') return true;
  return false;
}

const IMPORT_TYPES = ['import_statement', 'import_from_statement'];

/** The imports in one statement (itself, or nested in it), in document order. */
function importsIn(stmt: SyntaxNode): ImportUse[] {
  const out: ImportUse[] = [];
  const nodes = IMPORT_TYPES.includes(stmt.type) ? [stmt] : [];
  for (const n of stmt.descendantsOfType(IMPORT_TYPES)) nodes.push(n);
  for (const n of nodes) {
    if (n.type === 'import_statement') {
      for (const c of n.namedChildren) {
        const name = c.type === 'aliased_import' ? c.childForFieldName('name') : c;
        if (name && name.type === 'dotted_name') out.push({ module: name.text.split('.')[0]!, range: rangeOf(n), optional: insideTry(n) });
      }
    } else {
      const mod = n.childForFieldName('module_name');
      if (mod && mod.type === 'dotted_name') out.push({ module: mod.text.split('.')[0]!, range: rangeOf(n), optional: insideTry(n) });
    }
  }
  return out;
}

/** Imports per parsed file, until its next edit. */
const memo = new WeakMap<object, { version: number; imports: ImportUse[] }>();

export function importsOf(sources: PythonSources, file: string): ImportUse[] {
  const parsed = sources.get(file);
  if (!parsed) return [];
  const hit = memo.get(parsed);
  if (hit && hit.version === parsed.version) return hit.imports;
  // Per top-level statement: an edit scans again only the statements it touched or moved (a
  // 3,000-statement settings module is asked for its imports on every keystroke).
  const out = perStatement('imports', file, parsed.root, importsIn) as ImportUse[];
  memo.set(parsed, { version: parsed.version, imports: out });
  return out;
}

// Top-level modules a Python file imports, with where and whether the import is optional (inside
// `try:`), read from the shared tree-sitter trees.
import type { SyntaxNode } from '../parsing/syntax';
import { nodeRange } from '../parsing/locations';
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

/** Imports per parsed file, until its next edit. */
const memo = new WeakMap<object, { version: number; imports: ImportUse[] }>();

export function importsOf(sources: PythonSources, file: string): ImportUse[] {
  const parsed = sources.get(file);
  if (!parsed) return [];
  const hit = memo.get(parsed);
  if (hit && hit.version === parsed.version) return hit.imports;
  const out: ImportUse[] = [];
  for (const n of parsed.root.descendantsOfType(['import_statement', 'import_from_statement'])) {
    if (!n) continue;
    if (n.type === 'import_statement') {
      for (const c of n.namedChildren) {
        if (!c) continue;
        const name = c.type === 'aliased_import' ? c.childForFieldName('name') : c;
        if (name && name.type === 'dotted_name') out.push({ module: name.text.split('.')[0]!, range: rangeOf(n), optional: insideTry(n) });
      }
    } else {
      const mod = n.childForFieldName('module_name');
      if (mod && mod.type === 'dotted_name') out.push({ module: mod.text.split('.')[0]!, range: rangeOf(n), optional: insideTry(n) });
    }
  }
  memo.set(parsed, { version: parsed.version, imports: out });
  return out;
}

// Syntactic scans over the files the production settings are made of.
import type { SyntaxNode } from '../../parsing/syntax';
import type { Location } from '../../types';
import type { SettingsContext } from '../types';

import { nodeLocation } from '../../parsing/locations';
import { mentions } from '../../textMemo';
import { perStatement } from '../../parsing/perStatement';

export const locOf = nodeLocation;

/**
 * Every node of the given types in the production settings files (function bodies included), in
 * files whose text matches `pattern` (a cheap pre-check: most files never mention what a rule
 * looks for, and this runs on every keystroke), and for which `keep` (a syntactic test) holds.
 * The nodes are found per top-level statement and remembered until the statement changes, so a
 * keystroke elsewhere in a large module costs nothing here; `keep` must depend only on the node.
 */
export function nodesOfType(ctx: SettingsContext, types: string[], pattern?: RegExp, keep?: { name: string; test: (node: SyntaxNode) => boolean }): { file: string; node: SyntaxNode }[] {
  const out: { file: string; node: SyntaxNode }[] = [];
  const kind = `nodes:${types.join(',')}:${keep?.name ?? ''}`;
  for (const file of ctx.profile.filesRead) {
    // The statements only: a comment typed in a settings module does not run the rule again.
    const parsed = ctx.edit.codeOf(file);
    if (!parsed || (pattern && !mentions(file, parsed.text, pattern))) continue;
    const root = parsed.root;
    const found = perStatement(kind, file, root, (stmt) => [...(types.includes(stmt.type) ? [stmt] : []), ...stmt.descendantsOfType(types)].filter((n) => !keep || keep.test(n)));
    for (const node of found) out.push({ file, node });
  }
  return out;
}

// Syntactic scans over the files the production settings are made of.
import type { SyntaxNode } from '../../parsing/syntax';
import type { Location } from '../../types';
import type { SettingsContext } from '../types';

import { nodeLocation } from '../../parsing/locations';
import { mentions } from '../../textMemo';

export const locOf = nodeLocation;

/**
 * Every node of the given types in the production settings files (function bodies included), in
 * files whose text matches `mentions` (a cheap pre-check: most files never mention what a rule
 * looks for, and this runs on every keystroke).
 */
export function nodesOfType(ctx: SettingsContext, types: string[], pattern?: RegExp): { file: string; node: SyntaxNode }[] {
  const out: { file: string; node: SyntaxNode }[] = [];
  for (const file of ctx.profile.filesRead) {
    if (pattern && !mentions(file, ctx.edit.textOf(file) ?? '', pattern)) continue;
    const root = ctx.edit.rootOf(file);
    if (!root) continue;
    for (const node of root.descendantsOfType(types)) if (node) out.push({ file, node });
  }
  return out;
}

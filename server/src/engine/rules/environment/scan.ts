// Syntactic scans over the files the production settings are made of.
import type { Node } from 'web-tree-sitter';
import type { Location } from '../../types';
import type { SettingsContext } from '../types';

import { nodeLocation } from '../../parsing/locations';

export const locOf = nodeLocation;

/**
 * Every node of the given types in the production settings files (function bodies included), in
 * files whose text matches `mentions` (a cheap pre-check: most files never mention what a rule
 * looks for, and this runs on every keystroke).
 */
export function nodesOfType(ctx: SettingsContext, types: string[], mentions?: RegExp): { file: string; node: Node }[] {
  const out: { file: string; node: Node }[] = [];
  for (const file of ctx.profile.filesRead) {
    if (mentions && !mentions.test(ctx.edit.textOf(file) ?? '')) continue;
    const root = ctx.edit.rootOf(file);
    if (!root) continue;
    for (const node of root.descendantsOfType(types)) if (node) out.push({ file, node });
  }
  return out;
}

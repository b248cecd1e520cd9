// A syntax tree as one string, for tests that compare trees made different ways.
import assert from 'node:assert/strict';
import type { SyntaxNode } from '../../server/src/engine/parsing/syntax';

/** Every node with its field, type, MISSING and error flags, extent and text; checks parent links on the way. */
export function dumpTree(node: SyntaxNode, depth = 0, field: string | null = null): string {
  const self = `${' '.repeat(depth)}${field ? field + ': ' : ''}${node.isNamed ? node.type : JSON.stringify(node.type)}${node.isMissing ? ' MISSING' : ''}${node.hasError ? ' !' : ''} ${node.startIndex}-${node.endIndex} (${node.startRow},${node.startColumn})-(${node.endRow},${node.endColumn}) ${JSON.stringify(node.text)}`;
  node.children.forEach((c, i) => {
    assert.equal(c.parent, node);
    assert.equal(c.indexInParent, i);
  });
  return [self, ...node.children.map((c, i) => dumpTree(c, depth + 1, node.fieldNameForChild(i)))].join('\n');
}

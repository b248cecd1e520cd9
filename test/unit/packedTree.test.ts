// Packed trees (parsing/syntax.ts, PackedNodes): a parse keeps its tree as words and makes nodes
// when they are read. Whatever was read before, and in whatever order, every answer must be the
// one a tree made all at once gives.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { createParser } from '../../server/src/engine/parsing/grammars';
import { copyTree, copyTreePublic, SyntaxTree, type SyntaxNode } from '../../server/src/engine/parsing/syntax';
import { pythonFixtures } from '../helpers/engine';
import { dumpTree } from '../helpers/trees';

const BROKEN = ['def f(:\n    x = [1, 2\nY = "é😀"\n', 'class A(\n', '', '@csrf_exempt\n' + 'def v(request):\n    return 1\n'.repeat(20)];

/** Type sets the rules ask for, one at a time and together. */
const QUERIES = [['call'], ['decorator'], ['decorator', 'call'], ['string'], ['identifier', 'attribute'], ['ERROR'], ['comment'], ['class_definition', 'function_definition'], ['no_such_type']];

function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x80000000;
  };
}

const where = (nodes: SyntaxNode[]) => nodes.map((n) => `${n.type}@${n.startIndex}-${n.endIndex}`).join(' ');

/** The node of `other` at the same path of child indexes as `node` in its tree. */
function counterpart(node: SyntaxNode, other: SyntaxNode): SyntaxNode {
  const path: number[] = [];
  for (let n = node; n.parent; n = n.parent) path.unshift(n.indexInParent);
  let m = other;
  for (const i of path) m = m.children[i]!;
  return m;
}

/** Nodes made so far, without making any. */
function made(node: SyntaxNode): number {
  if (node.childrenPacked) return 1;
  let count = 1;
  for (const c of node.children) count += made(c);
  return count;
}

function total(node: SyntaxNode): number {
  let count = 1;
  for (const c of node.children) count += total(c);
  return count;
}

function texts(): { name: string; text: string }[] {
  return [...pythonFixtures().map((f) => ({ name: f, text: readFileSync(f, 'utf8') })), ...BROKEN.map((text, i) => ({ name: `broken ${i}`, text }))];
}

test('a packed tree answers every query as a tree made at once, whatever was read before', async () => {
  const parser = await createParser('python');
  for (const [fileIndex, { name, text }] of texts().entries()) {
    const tree = parser.parse(text)!;
    try {
      const eager = new SyntaxTree(text);
      eager.rootNode = copyTreePublic(tree, text, eager);
      for (let round = 0; round < 3; round++) {
        const next = random(fileIndex * 7 + round);
        const packed = new SyntaxTree(text);
        packed.rootNode = copyTree(tree, text, packed, 0, 0, (s: string) => parser.parse(s) ?? undefined);
        assert.ok(packed.rootNode.childrenPacked || text === '', name);
        // Read a few random paths first (round 0 reads none): later queries start from a mix of
        // made and packed nodes.
        for (let walk = 0; walk < round * 4; walk++) {
          let n = packed.rootNode;
          while (n.children.length > 0 && next() < 0.8) n = n.children[Math.floor(next() * n.children.length)]!;
        }
        for (const types of QUERIES) {
          assert.equal(where(packed.rootNode.descendantsOfType(types)), where(eager.rootNode.descendantsOfType(types)), `${name} ${types}`);
          // From a node inside the tree too (made on the way to it).
          const hits = packed.rootNode.descendantsOfType(['block', 'argument_list']);
          const inner = hits[Math.floor(next() * hits.length)];
          if (inner) assert.equal(where(inner.descendantsOfType(types)), where(counterpart(inner, eager.rootNode).descendantsOfType(types)), `${name} ${types} inside`);
        }
        assert.equal(dumpTree(packed.rootNode), dumpTree(eager.rootNode), name);
        assert.equal(packed.rootNode.toString(), eager.rootNode.toString());
      }
    } finally {
      tree.delete();
    }
  }
  parser.delete();
});

test('a query for one type makes the nodes on the way to its matches, not the whole tree', async () => {
  const parser = await createParser('python');
  // The largest fixture module.
  const { name, text } = texts().sort((a, b) => b.text.length - a.text.length)[0]!;
  const tree = parser.parse(text)!;
  const packed = new SyntaxTree(text);
  packed.rootNode = copyTree(tree, text, packed, 0, 0, (s: string) => parser.parse(s) ?? undefined);
  tree.delete();
  const decorators = packed.rootNode.descendantsOfType('decorator');
  for (const d of decorators) {
    let n: SyntaxNode = d;
    while (n.parent) n = n.parent;
    assert.equal(n, packed.rootNode, 'every match hangs from the root');
    assert.ok(d.childrenPacked || d.children.length === 0, 'the match itself is not unpacked');
  }
  const all = total(packed.rootNode);
  // `total` made every node: count again on a fresh parse.
  const fresh = new SyntaxTree(text);
  const again = parser.parse(text)!;
  fresh.rootNode = copyTree(again, text, fresh, 0, 0, (s: string) => parser.parse(s) ?? undefined);
  again.delete();
  fresh.rootNode.descendantsOfType('decorator');
  const madeForQuery = made(fresh.rootNode);
  assert.ok(madeForQuery * 4 < all, `${name}: ${madeForQuery} of ${all} nodes made for one query`);
  parser.delete();
});

test('rows moved while a subtree is packed reach the nodes made from it later', async () => {
  const parser = await createParser('python');
  const text = 'import os\n\ndef f(request):\n    if request.user:\n        return g(request, x=[1, 2])\n    return None\n\nclass C:\n    def m(self):\n        pass\n';
  const tree = parser.parse(text)!;
  const eager = new SyntaxTree(text);
  eager.rootNode = copyTreePublic(tree, text, eager);
  for (const readFirst of [false, true]) {
    const packed = new SyntaxTree(text);
    packed.rootNode = copyTree(tree, text, packed, 0, 0, (s: string) => parser.parse(s) ?? undefined);
    const [, fn, cls] = packed.rootNode.children;
    // Part of the function made before the move, the rest after it.
    if (readFirst) fn!.childForFieldName('body')!.children[0]!.children;
    fn!.moveRows(3);
    cls!.moveRows(5);
    const rows = (n: SyntaxNode, delta: number): string => `${n.type} ${n.startRow - delta},${n.startColumn}-${n.endRow - delta},${n.endColumn}\n${n.children.map((c) => rows(c, delta)).join('')}`;
    const [, efn, ecls] = eager.rootNode.children;
    assert.equal(rows(fn!, 3), rows(efn!, 0));
    assert.equal(rows(cls!, 5), rows(ecls!, 0));
  }
  tree.delete();
  parser.delete();
});

test('descendantsOfTypeWhere is descendantsOfType filtered by the text of the first child, whatever was read before', async () => {
  const parser = await createParser('python');
  let kept = 0;
  let dropped = 0;
  for (const [fileIndex, { name, text }] of texts().entries()) {
    const tree = parser.parse(text)!;
    try {
      const eager = new SyntaxTree(text);
      eager.rootNode = copyTreePublic(tree, text, eager);
      // Keeps about two calls in three, by their function's text.
      const accept = (t: string) => (t.length * 7 + t.charCodeAt(0)) % 3 !== 0;
      const expected = (root: SyntaxNode) => root.descendantsOfType('call').filter((c) => c.fieldNames?.[0] !== 'function' || accept(c.children[0]!.text));
      for (let round = 0; round < 3; round++) {
        const next = random(fileIndex * 11 + round);
        const packed = new SyntaxTree(text);
        packed.rootNode = copyTree(tree, text, packed, 0, 0, (s: string) => parser.parse(s) ?? undefined);
        for (let walk = 0; walk < round * 4; walk++) {
          let n = packed.rootNode;
          while (n.children.length > 0 && next() < 0.8) n = n.children[Math.floor(next() * n.children.length)]!;
        }
        const asked: string[] = [];
        const got = packed.rootNode.descendantsOfTypeWhere('call', 'function', (t) => {
          asked.push(t);
          return accept(t);
        });
        const want = expected(eager.rootNode);
        assert.equal(where(got), where(want), `${name} round ${round}`);
        // Asked about every call's function, with its text.
        assert.deepEqual(asked, eager.rootNode.descendantsOfType('call').map((c) => c.children[0]!.text), name);
        kept += want.length;
        dropped += eager.rootNode.descendantsOfType('call').length - want.length;
        const blocks = packed.rootNode.descendantsOfType('block');
        const inner = blocks[Math.floor(next() * blocks.length)];
        if (inner) assert.equal(where(inner.descendantsOfTypeWhere('call', 'function', accept)), where(expected(counterpart(inner, eager.rootNode))), `${name} inside`);
      }
    } finally {
      tree.delete();
    }
  }
  assert.ok(kept > 1000 && dropped > 500, `${kept} kept, ${dropped} dropped`);
  parser.delete();
});

test('descendantsOfTypeWhere makes no node for what it leaves out, and reads moved rows right', async () => {
  const parser = await createParser('python');
  const { text } = texts().sort((a, b) => b.text.length - a.text.length)[0]!;
  const tree = parser.parse(text)!;
  const packed = new SyntaxTree(text);
  packed.rootNode = copyTree(tree, text, packed, 0, 0, (s: string) => parser.parse(s) ?? undefined);
  tree.delete();
  assert.deepEqual(packed.rootNode.descendantsOfTypeWhere('call', 'function', () => false), []);
  assert.equal(made(packed.rootNode), 1, 'only the root');
  // A field the first child is not: every call kept, none asked about.
  let asked = 0;
  const all = packed.rootNode.descendantsOfTypeWhere('call', 'arguments', () => {
    asked++;
    return false;
  });
  assert.equal(asked, 0);
  assert.equal(where(all), where(packed.rootNode.descendantsOfType('call')));

  const small = 'import os\n\ndef f(request):\n    if request.user:\n        return g(request, x=[1, 2])\n    return None\n\nclass C:\n    def m(self):\n        self.h (1)\n';
  const t2 = parser.parse(small)!;
  const moved = new SyntaxTree(small);
  moved.rootNode = copyTree(t2, small, moved, 0, 0, (s: string) => parser.parse(s) ?? undefined);
  t2.delete();
  // Rows shift as a region reparse shifts them: the text above grows by three lines.
  const [, fn, cls] = moved.rootNode.children;
  moved.text = '\n\n\n' + small;
  fn!.moveRows(3);
  cls!.moveRows(3);
  moved.rootNode.children[0]!.moveRows(3);
  const texts2: string[] = [];
  moved.rootNode.descendantsOfTypeWhere('call', 'function', (t) => {
    texts2.push(t);
    return true;
  });
  assert.deepEqual(texts2, ['g', 'self.h']);
  parser.delete();
});

test('fieldText is the text of the field child, read from the words or from the nodes, whatever was read before', async () => {
  const parser = await createParser('python');
  const FIELDS = ['name', 'body', 'parameters', 'function', 'arguments', 'left', 'right', 'value', 'alias', 'module_name', 'definition', 'superclasses', 'no_such_field'];
  let fromWords = 0;
  let asked = 0;
  for (const [fileIndex, { name, text }] of texts().entries()) {
    const tree = parser.parse(text)!;
    try {
      const eager = new SyntaxTree(text);
      eager.rootNode = copyTreePublic(tree, text, eager);
      const packed = new SyntaxTree(text);
      packed.rootNode = copyTree(tree, text, packed, 0, 0, (s: string) => parser.parse(s) ?? undefined);
      const next = random(fileIndex * 7 + 3);
      // Some nodes read before, so that both ways of answering are asked.
      for (let walk = 0; walk < 6; walk++) {
        let n = packed.rootNode;
        while (n.children.length > 0 && next() < 0.7) n = n.children[Math.floor(next() * n.children.length)]!;
      }
      // Every node of the eager tree, asked of its counterpart; a packed node answers before its children are made.
      const visit = (e: SyntaxNode) => {
        const p = counterpart(e, packed.rootNode);
        for (const field of FIELDS) {
          if (p.childrenPacked) fromWords++;
          asked++;
          assert.equal(p.fieldText(field), e.childForFieldName(field)?.text, `${name}: ${e.type}@${e.startIndex} ${field}`);
        }
        for (const c of e.children) visit(c);
      };
      visit(eager.rootNode);
    } finally {
      tree.delete();
    }
  }
  assert.ok(fromWords > 10_000 && asked > fromWords, `${fromWords} of ${asked} from the words`);

  // Rows moved as a region reparse moves them: the text above grows by two lines.
  const small = 'import os\n\ndef view(request, pk):\n    return pk\n\nclass Page(Base):\n    def get(self):\n        return 1\n';
  const t2 = parser.parse(small)!;
  const moved = new SyntaxTree(small);
  moved.rootNode = copyTree(t2, small, moved, 0, 0, (s: string) => parser.parse(s) ?? undefined);
  t2.delete();
  moved.text = '\n\n' + small;
  for (const c of moved.rootNode.children) c.moveRows(2);
  const [, fn, cls] = moved.rootNode.children;
  assert.equal(fn!.childrenPacked, true);
  assert.deepEqual([fn!.fieldText('name'), fn!.fieldText('parameters'), cls!.fieldText('name'), cls!.fieldText('superclasses')], ['view', '(request, pk)', 'Page', '(Base)']);
  assert.equal(fn!.childrenPacked, true, 'no child made');
  parser.delete();
});

// Syntax trees of unchanged modules, kept on disk between runs of the CLI (Ruff keeps a cache the
// same way). Parsing is half of a workspace scan: tree-sitter in wasm takes about 3 ms per 10 KB,
// and the copy into SyntaxNodes as much again; rebuilding the same nodes from a packed array takes
// a tenth of that. A tree is found by a hash of the module's text, so an edited module simply
// misses and is parsed; the pack's name carries the grammar's identity, so an upgraded grammar
// starts an empty pack.
//
// One pack file per workspace root, in the private cache folder the V8 code cache uses
// (lsp/codeCache.ts: ours, not writable by others): trees written after the index's entries are
// read on demand (one read per module), so a run holds only the trees it is using. A run that
// parsed anything writes a new pack (the trees it used, old and new) to a temporary name and
// renames it into place; entries nobody used any more are dropped then. Every entry carries a
// checksum and is checked for shape before its nodes are built: a damaged pack means parsing.
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, futimesSync, openSync, readdirSync, readSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PACKED_HAS_ERROR, PACKED_MISSING, PACKED_WORDS, PackedNodes, type SyntaxNode, SyntaxTree } from './syntax';

const MAGIC = 'DJRPACK1';
const FOOTER_BYTES = 16;
/** The words of a node (syntax.ts: PACKED_WORDS): type and field indexes with the flags, start row and column, end row and column, number of children. */
const WORDS = PACKED_WORDS;
const MISSING = PACKED_MISSING;
const HAS_ERROR = PACKED_HAS_ERROR;
/** A pack stops growing here (a generated module of many megabytes is parsed every run instead). */
const MAX_PACK_BYTES = 512 * 1024 * 1024;
/** Packs whose trees take up to this many bytes are read whole at the first tree asked for (see `wordsOf`); tests lower it. */
export const wholeReadLimit = { bytes: 96 * 1024 * 1024 };
/** Packs of workspaces not analysed for this long are removed, and the oldest beyond this many. */
const MAX_PACK_AGE_MS = 30 * 24 * 3600 * 1000;
const MAX_PACKS = 64;

interface IndexEntry {
  /** Byte offset of the entry's words. */
  offset: number;
  nodes: number;
  checksum: number;
}

interface PackIndex {
  /** Node types as [name, named]: word 0 of a node holds the position in this list. */
  types: [string, boolean][];
  /** Field names; a node's field index is its position plus one (0: no field). */
  fields: string[];
  /** Text hash (hex) → entry. */
  entries: Record<string, IndexEntry>;
}

/** A pack's index as read: the bytes of words before it (not stored: where the index starts). */
type ReadIndex = PackIndex & { wordsBytes: number };

/** What a run did with the cache (for --stats and the benchmarks). */
export interface ParseCacheCounts {
  hits: number;
  misses: number;
  /** Entries found but refused (checksum or shape). */
  refused: number;
}

function textHash(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** FNV-1a over the words: catches a torn or damaged entry (the folder is private: not an attacker). */
function checksum(words: Int32Array): number {
  let h = 0x811c9dc5;
  // Unsigned at every step, nothing after the loop: V8 compiles the loop while the first entry is
  // being summed, before anything after it ever ran, and an operation there without type feedback
  // sent every later call back to the interpreter at the loop's end (a hundred times in a scan).
  for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i]!, 0x01000193) >>> 0;
  return h;
}

export class ParseCache {
  private readonly fd: number | undefined;
  private readonly old: ReadIndex | undefined;
  /** Type and field tables of the pack being written (they start as the old pack's). */
  private readonly types: [string, boolean][];
  private readonly typeIndex = new Map<string, number>();
  private readonly fields: string[];
  private readonly fieldIndex = new Map<string, number>();
  /** Hashes used by this run, found in the old pack. */
  private readonly used = new Set<string>();
  /** The pack being written once a module had to be parsed. */
  private out: { fd: number; path: string; bytes: number; entries: Record<string, IndexEntry> } | undefined;
  readonly counts: ParseCacheCounts = { hits: 0, misses: 0, refused: 0 };
  private closed = false;

  private constructor(readonly path: string) {
    let fd: number | undefined;
    let index: ReadIndex | undefined;
    try {
      fd = openSync(path, 'r');
      index = readIndex(fd);
    } catch {
      index = undefined;
    }
    try {
      // Marks the pack as in use (a run that parses nothing does not rewrite it): see prune.
      if (index && fd !== undefined) futimesSync(fd, new Date(), new Date());
    } catch {
      // a read-only cache folder: read it all the same
    }
    if (!index && fd !== undefined) {
      closeSync(fd);
      fd = undefined;
    }
    this.fd = fd;
    this.old = index;
    this.types = index ? index.types.map(([n, named]) => [n, named] as [string, boolean]) : [];
    this.types.forEach(([n, named], i) => this.typeIndex.set(typeKey(n, named), i));
    this.fields = index ? [...index.fields] : [];
    this.fields.forEach((f, i) => this.fieldIndex.set(f, i + 1));
  }

  /**
   * The cache of the workspace at `root` for a grammar (`grammar` names its exact build), in
   * `dir`; any failure to read it is an empty cache.
   */
  static open(dir: string, root: string, grammar: string): ParseCache {
    const name = createHash('sha1').update(`${root}\0${grammar}`).digest('hex').slice(0, 20);
    return new ParseCache(join(dir, `parse-${name}.pack`));
  }

  /** Text hashes asked for by `holds`, for the `take` that follows. */
  private readonly hashes = new Map<string, string>();

  private hashOf(text: string): string {
    let hash = this.hashes.get(text);
    if (hash === undefined) this.hashes.set(text, (hash = textHash(text)));
    return hash;
  }

  /** Whether the pack has a tree for `text` (a parse worker need not be given it). */
  holds(text: string): boolean {
    return !this.closed && this.fd !== undefined && this.old?.entries[this.hashOf(text)] !== undefined;
  }

  /** The tree of `text` if the pack holds it, as SyntaxNodes over a new SyntaxTree. */
  take(text: string): { tree: SyntaxTree; hash: string } | { hash: string } {
    const hash = this.hashes.get(text) ?? textHash(text);
    this.hashes.delete(text);
    const entry = this.old?.entries[hash];
    if (!entry || this.fd === undefined || this.closed) return { hash };
    try {
      const words = this.wordsOf(entry);
      if (checksum(words) !== entry.checksum) throw new Error('damaged');
      const tree = new SyntaxTree(text);
      const root = PackedNodes.root(words, entry.nodes, this.old!.types, this.old!.fields, tree);
      if (!root) throw new Error('bad shape');
      tree.rootNode = root;
      this.used.add(hash);
      this.counts.hits++;
      return { tree, hash };
    } catch {
      this.counts.refused++;
      return { hash };
    }
  }

  /**
   * Every tree of the pack, read with the first one asked for: a run uses nearly all of them (the
   * pack holds the trees the last run used), and one read of the whole is a few milliseconds
   * where a read per tree took four times as long on a large workspace. Undefined until the
   * first tree is asked for; null when the pack is too large to hold whole or cannot be read in
   * full (then each tree is read on its own).
   */
  private whole: Int32Array | null | undefined;

  private wordsOf(entry: IndexEntry): Int32Array {
    if (this.whole === undefined) this.whole = this.readWhole();
    const length = entry.nodes * WORDS;
    if (this.whole) return this.whole.subarray(entry.offset / 4, entry.offset / 4 + length);
    const words = new Int32Array(length);
    const bytes = Buffer.from(words.buffer, words.byteOffset, words.byteLength);
    if (readSync(this.fd!, bytes, 0, bytes.length, entry.offset) !== bytes.length) throw new Error('damaged');
    return words;
  }

  private readWhole(): Int32Array | null {
    const size = this.old!.wordsBytes;
    if (size > wholeReadLimit.bytes || size % 4 !== 0) return null;
    try {
      const words = new Int32Array(size / 4);
      const bytes = Buffer.from(words.buffer, words.byteOffset, words.byteLength);
      let done = 0;
      while (done < size) {
        const n = readSync(this.fd!, bytes, done, size - done, done);
        if (n <= 0) return null;
        done += n;
      }
      return words;
    } catch {
      return null;
    }
  }

  /** Records a tree parsed elsewhere (a parse worker), unless the pack has it already. */
  adopt(text: string, tree: SyntaxTree): void {
    const hash = this.hashes.get(text) ?? textHash(text);
    this.hashes.delete(text);
    if (this.old?.entries[hash] !== undefined && this.fd !== undefined) {
      // Kept: the new pack copies it like an entry this run took.
      this.used.add(hash);
      return;
    }
    this.add(hash, tree);
  }

  /** Records the tree a parse made of a text `take` did not find (`hash` is what it returned). */
  add(hash: string, tree: SyntaxTree): void {
    this.counts.misses++;
    if (this.closed) return;
    try {
      const out = this.output();
      if (!out || out.entries[hash]) return;
      const words = this.packed(tree.rootNode) ?? this.pack(tree.rootNode);
      if (out.bytes + words.byteLength > MAX_PACK_BYTES) return;
      writeSync(out.fd, Buffer.from(words.buffer, words.byteOffset, words.byteLength));
      out.entries[hash] = { offset: out.bytes, nodes: words.length / WORDS, checksum: checksum(words) };
      out.bytes += words.byteLength;
    } catch {
      this.abandon();
    }
  }

  /**
   * Ends the run: when anything was parsed, the new pack (this run's trees: the old ones it used,
   * copied, and the new ones) replaces the old. Never throws; a second call does nothing.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const out = this.out;
    let oldFd = this.fd;
    try {
      if (out && this.old && oldFd !== undefined) {
        for (const hash of this.used) {
          const e = this.old.entries[hash]!;
          if (out.entries[hash]) continue;
          let words: Int32Array;
          try {
            words = this.wordsOf(e);
          } catch {
            continue;
          }
          const bytes = Buffer.from(words.buffer, words.byteOffset, words.byteLength);
          writeSync(out.fd, bytes);
          out.entries[hash] = { offset: out.bytes, nodes: e.nodes, checksum: e.checksum };
          out.bytes += bytes.length;
        }
      }
      if (out) {
        const index: PackIndex = { types: this.types, fields: this.fields, entries: out.entries };
        const json = Buffer.from(JSON.stringify(index), 'utf8');
        const footer = Buffer.alloc(FOOTER_BYTES);
        footer.writeUInt32LE(out.bytes, 0);
        footer.writeUInt32LE(json.length, 4);
        footer.write(MAGIC, 8, 'latin1');
        writeSync(out.fd, json);
        writeSync(out.fd, footer);
        closeSync(out.fd);
        this.out = undefined;
        // Closed before the rename: Windows does not replace a file that is open.
        if (oldFd !== undefined) closeSync(oldFd);
        oldFd = undefined;
        renameSync(out.path, this.path);
        prune(dirname(this.path), this.path);
      }
    } catch {
      this.abandon();
    } finally {
      if (oldFd !== undefined) closeSync(oldFd);
      // The trees taken keep the words they use; the pack's copy is no longer ours to hold.
      this.whole = null;
    }
  }

  private output(): ParseCache['out'] {
    if (this.out) return this.out;
    const path = `${this.path}.${process.pid}.tmp`;
    this.out = { fd: openSync(path, 'w', 0o600), path, bytes: 0, entries: {} };
    return this.out;
  }

  /** Gives up writing (a full disk, a removed folder): the old pack stays as it was. */
  private abandon(): void {
    const out = this.out;
    this.out = undefined;
    if (!out) return;
    try {
      closeSync(out.fd);
    } catch {
      // already closed
    }
    try {
      unlinkSync(out.path);
    } catch {
      // never created or already gone
    }
  }

  /** A tree a parse just packed, in this pack's type and field tables (no node is made). */
  private packed(root: SyntaxNode): Int32Array | undefined {
    const source = PackedNodes.wordsOf(root);
    if (!source) return undefined;
    const typeMap = source.types.map(([name, named]) => this.typeOf(name, named));
    const fieldMap = [0, ...source.fields.map((f) => (f ? this.fieldOf(f) : 0))];
    const words = source.words.slice(0, source.nodes * WORDS);
    for (let at = 0; at < words.length; at += WORDS) {
      const head = words[at]!;
      words[at] = typeMap[head & 0xffff]! | (fieldMap[(head >>> 16) & 0xff]! << 16) | (head & (MISSING | HAS_ERROR));
    }
    return words;
  }

  /** The nodes of a tree in document order, WORDS words each. */
  private pack(root: SyntaxNode): Int32Array {
    let words = new Int32Array(1024 * WORDS);
    let count = 0;
    const stack: { node: SyntaxNode; field: string | null }[] = [{ node: root, field: null }];
    while (stack.length > 0) {
      const { node, field } = stack.pop()!;
      if ((count + 1) * WORDS > words.length) {
        const grown = new Int32Array(words.length * 2);
        grown.set(words);
        words = grown;
      }
      const at = count * WORDS;
      words[at] = this.typeOf(node.type, node.isNamed) | ((field === null ? 0 : this.fieldOf(field)) << 16) | (node.isMissing ? MISSING : 0) | (node.hasError ? HAS_ERROR : 0);
      words[at + 1] = node.startRow;
      words[at + 2] = node.startColumn;
      words[at + 3] = node.endRow;
      words[at + 4] = node.endColumn;
      words[at + 5] = node.children.length;
      count++;
      for (let i = node.children.length - 1; i >= 0; i--) stack.push({ node: node.children[i]!, field: node.fieldNames?.[i] ?? null });
    }
    return words.slice(0, count * WORDS);
  }

  private typeOf(type: string, isNamed: boolean): number {
    const key = typeKey(type, isNamed);
    let i = this.typeIndex.get(key);
    if (i === undefined) {
      i = this.types.length;
      if (i >= 0xffff) throw new Error('too many node types');
      this.types.push([type, isNamed]);
      this.typeIndex.set(key, i);
    }
    return i;
  }

  private fieldOf(field: string): number {
    let i = this.fieldIndex.get(field);
    if (i === undefined) {
      i = this.fields.length + 1;
      if (i > 0xff) throw new Error('too many fields');
      this.fields.push(field);
      this.fieldIndex.set(field, i);
    }
    return i;
  }
}

/** Removes the packs of workspaces not analysed for a month, and the least recent beyond MAX_PACKS. */
function prune(dir: string, keep: string): void {
  const packs: { path: string; used: number }[] = [];
  for (const name of readdirSync(dir)) {
    if (!name.startsWith('parse-') || !(name.endsWith('.pack') || name.endsWith('.tmp'))) continue;
    const path = join(dir, name);
    if (path === keep) continue;
    try {
      packs.push({ path, used: statSync(path).mtimeMs });
    } catch {
      // removed meanwhile
    }
  }
  packs.sort((a, b) => b.used - a.used);
  const now = Date.now();
  packs.forEach((p, i) => {
    // A temporary file of a run still writing is recent; one left by a crashed run is not.
    if (i < MAX_PACKS - 1 && now - p.used < (p.path.endsWith('.tmp') ? 3600 * 1000 : MAX_PACK_AGE_MS)) return;
    try {
      unlinkSync(p.path);
    } catch {
      // another run removed it
    }
  });
}

function typeKey(name: string, named: boolean): string {
  return `${named ? 'n' : 'a'}${name}`;
}

function readIndex(fd: number): ReadIndex | undefined {
  const size = fstatSync(fd).size;
  if (size < FOOTER_BYTES) return undefined;
  const footer = Buffer.alloc(FOOTER_BYTES);
  readSync(fd, footer, 0, FOOTER_BYTES, size - FOOTER_BYTES);
  if (footer.toString('latin1', 8, 16) !== MAGIC) return undefined;
  const at = footer.readUInt32LE(0);
  const length = footer.readUInt32LE(4);
  if (at + length + FOOTER_BYTES !== size) return undefined;
  const json = Buffer.alloc(length);
  readSync(fd, json, 0, length, at);
  const index = JSON.parse(json.toString('utf8')) as PackIndex;
  if (!Array.isArray(index.types) || !Array.isArray(index.fields) || typeof index.entries !== 'object' || index.entries === null) return undefined;
  for (const e of Object.values(index.entries)) {
    if (!Number.isInteger(e.offset) || !Number.isInteger(e.nodes) || e.nodes < 1 || e.offset % 4 !== 0 || e.offset + e.nodes * WORDS * 4 > at) return undefined;
  }
  return { ...index, wordsBytes: at };
}

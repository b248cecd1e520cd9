// Memoised module-level statements. A keystroke in a 3,000-line settings module changes one or two
// statements, yet the module is evaluated again from the top on every analysis. So each top-level
// statement's evaluation is recorded: the names (and environment variables) it read, with the
// exact binding objects it saw, and what it wrote. The next evaluation replays the record instead
// of evaluating the statement when the syntax node is the same object (region reparsing keeps the
// nodes of untouched statements), still starts on the same row (its locations are then still
// right), and every name it read is bound to the very same object as before. Anything the record
// cannot describe (reading another module, iterating the namespace) makes the statement always
// evaluate.
import type { SyntaxNode } from '../parsing/syntax';
import type { EvalNote } from './evaluator';

const DELETED = Symbol('deleted');

/** A Map that tells the active recorder what is read from and written to it. */
export class RecordingMap<V> extends Map<string, V> {
  override get(key: string): V | undefined {
    const value = super.get(key);
    active?.read(this, key, value);
    return value;
  }

  override has(key: string): boolean {
    active?.read(this, key, super.get(key));
    return super.has(key);
  }

  override set(key: string, value: V): this {
    active?.write(this, key, value);
    return super.set(key, value);
  }

  override delete(key: string): boolean {
    active?.write(this, key, DELETED);
    return super.delete(key);
  }

  override clear(): void {
    if (active?.tracks(this)) active.opaque = true;
    super.clear();
  }

  override get size(): number {
    if (active?.tracks(this)) active.opaque = true;
    return super.size;
  }

  override forEach(cb: (value: V, key: string, map: Map<string, V>) => void, thisArg?: unknown): void {
    if (active?.tracks(this)) active.opaque = true;
    super.forEach(cb, thisArg);
  }

  override entries(): MapIterator<[string, V]> {
    if (active?.tracks(this)) active.opaque = true;
    return super.entries();
  }

  override keys(): MapIterator<string> {
    if (active?.tracks(this)) active.opaque = true;
    return super.keys();
  }

  override values(): MapIterator<V> {
    if (active?.tracks(this)) active.opaque = true;
    return super.values();
  }

  override [Symbol.iterator](): MapIterator<[string, V]> {
    if (active?.tracks(this)) active.opaque = true;
    return super[Symbol.iterator]();
  }

  /** Reads without telling the recorder (validating and replaying records). */
  peek(key: string): V | undefined {
    return super.get(key);
  }

  /** Writes without telling the recorder. */
  put(key: string, value: V | typeof DELETED): void {
    if (value === DELETED) super.delete(key);
    else super.set(key, value);
  }
}

/** A read or write of one key: `map` is 0 for the module's namespace, 1 for the process environment. */
type Access = [map: number, key: string, value: unknown];

/** What one statement's evaluation read and did. */
export interface StatementRecord {
  row: number;
  /** The statement did something a record cannot describe: never replayed, `writes` kept for `reuse`. */
  opaque?: boolean;
  reads: Access[];
  writes: Access[];
  notes: EvalNote[];
}

/** Records one statement while it is evaluated. */
export class Recorder {
  opaque = false;
  readonly reads: Access[] = [];
  readonly writes: Access[] = [];
  /** Keys already read or written, per map: only the first access to a key is an input. */
  private readonly seen: Set<string>[];

  constructor(
    private readonly maps: RecordingMap<unknown>[],
    /** The module whose statement this is: reading any other module's code makes it opaque. */
    readonly modulePath: string,
  ) {
    this.seen = maps.map(() => new Set());
  }

  tracks(map: Map<string, unknown>): boolean {
    return this.maps.includes(map as RecordingMap<unknown>);
  }

  read(map: Map<string, unknown>, key: string, value: unknown): void {
    const index = this.maps.indexOf(map as RecordingMap<unknown>);
    if (index < 0) return;
    // A name the statement itself bound (or already read) is not a new input.
    const seen = this.seen[index]!;
    if (seen.has(key)) return;
    seen.add(key);
    this.reads.push([index, key, value]);
  }

  write(map: Map<string, unknown>, key: string, value: unknown): void {
    const index = this.maps.indexOf(map as RecordingMap<unknown>);
    if (index < 0) return;
    this.seen[index]!.add(key);
    this.writes.push([index, key, value]);
  }
}

let active: Recorder | undefined;

/** Runs `body` with `recorder` active (restoring the outer one after). */
export function recording<T>(recorder: Recorder | undefined, body: () => T): T {
  const outer = active;
  active = recorder;
  try {
    return body();
  } finally {
    active = outer;
  }
}

/** The evaluation is about to read code of `path`: a statement of another module cannot be replayed. */
export function readingModule(path: string): void {
  if (active && active.modulePath !== path) active.opaque = true;
}

/** Another module is being evaluated: whatever it does, the active statement depends on it. */
export function readingOtherModule(): void {
  if (active) active.opaque = true;
}

/**
 * Replays a record into `maps` (this evaluation's namespace and environment) if everything it read
 * is still bound to the same objects there.
 */
export function replay(record: StatementRecord, stmt: SyntaxNode, maps: RecordingMap<unknown>[], notes: EvalNote[]): boolean {
  if (record.opaque || record.row !== stmt.startRow) return false;
  for (const [map, key, value] of record.reads) if (maps[map]!.peek(key) !== value) return false;
  for (const [map, key, value] of record.writes) maps[map]!.put(key, value as never);
  for (const n of record.notes) notes.push(n);
  return true;
}

/**
 * After a statement was evaluated again, binds each name it wrote to the object the previous
 * evaluation wrote when the two are equal: an `import os` (never replayed, since whether an import
 * resolves depends on the disk) then leaves `os` bound to the same object, and the statements that
 * read it can still be replayed.
 */
export function reuseEqualWrites(previous: StatementRecord, writes: Access[], maps: RecordingMap<unknown>[]): void {
  if (previous.writes.length === 0) return;
  // Usually the statement wrote the same keys in the same order, most of them the very same
  // objects (a star import of a module with one edited statement): compare in step, and index the
  // previous writes only if the order differs.
  let i = 0;
  for (; i < writes.length && i < previous.writes.length; i++) {
    const w = writes[i]!;
    const o = previous.writes[i]!;
    if (o[0] !== w[0] || o[1] !== w[1]) break;
    if (o[2] === w[2] || !sameValue(o[2], w[2], 0)) continue;
    if (maps[w[0]]!.peek(w[1]) === w[2]) maps[w[0]]!.put(w[1], o[2] as never);
    w[2] = o[2];
  }
  if (i === writes.length) return;
  const before = new Map<string, unknown>();
  for (const [map, key, value] of previous.writes) before.set(`${map}\0${key}`, value);
  for (const w of writes.slice(i)) {
    const [map, key, value] = w;
    const old = before.get(`${map}\0${key}`);
    if (old === undefined || old === value || !sameValue(old, value, 0)) continue;
    if (maps[map]!.peek(key) === value) maps[map]!.put(key, old as never);
    w[2] = old;
  }
}

/**
 * Structural equality of evaluator values. Module namespaces (RecordingMap) and syntax nodes are
 * compared by identity, which also keeps the walk out of cycles (a function's globals hold it).
 */
function sameValue(a: unknown, b: unknown, depth: number): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || depth > 12) return false;
  if (a instanceof RecordingMap || b instanceof RecordingMap) return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameValue(x, b[i], depth + 1));
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !sameValue(v, b.get(k), depth + 1)) return false;
    return true;
  }
  if (Object.getPrototypeOf(a) !== Object.prototype || Object.getPrototypeOf(b) !== Object.prototype) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], depth + 1)) return false;
  return true;
}

/** Records per module text: the syntax root of the module's current tree and its statements. */
const memos = new WeakMap<SyntaxNode, Map<string, Map<SyntaxNode, StatementRecord>>>();

/** The records of a module's last evaluation (per module name: `__name__` differs between projects). */
export function recordsFor(root: SyntaxNode, moduleName: string): Map<SyntaxNode, StatementRecord> {
  let byName = memos.get(root);
  if (!byName) memos.set(root, (byName = new Map()));
  let records = byName.get(moduleName);
  if (!records) byName.set(moduleName, (records = new Map()));
  return records;
}

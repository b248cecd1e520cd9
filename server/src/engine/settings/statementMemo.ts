// Memoised module-level statements. A keystroke in a 3,000-line settings module changes one or two
// statements, yet the module is evaluated again from the top on every analysis. So each top-level
// statement's evaluation is recorded: the names (and environment variables) it read, with the
// exact binding objects it saw, and what it wrote. The next evaluation replays the record instead
// of evaluating the statement when the syntax node is the same object (region reparsing keeps the
// nodes of untouched statements), still starts on the same row (its locations are then still
// right), and every name it read is bound to the very same object as before.
//
// A statement may call into another module (`settings_utils.get_xstatic_dirs(...)`, Horizon's
// settings do it at import time): the names the call read there are recorded by module path and
// checked against that module's namespace in the replaying evaluation, an import inside the call
// is recorded as what it resolved to (checked by resolving again) and as "already loaded" (a load
// has effects no record holds, so a statement that loads a module always runs). Anything else the
// record cannot describe (writing another module's globals, iterating a namespace) makes the
// statement always evaluate.
import type { SyntaxNode } from '../parsing/syntax';
import type { EvalNote } from './evaluator';

const DELETED = Symbol('deleted');

/** The module path of each namespace an evaluation made, so reads of it can be recorded by path. */
const namespacePaths = new WeakMap<Map<string, unknown>, string>();

export function registerNamespace(namespace: RecordingMap<unknown>, path: string): void {
  namespacePaths.set(namespace, path);
}

/** The module path a namespace belongs to, if it is a module namespace. */
export function namespacePath(map: Map<string, unknown>): string | undefined {
  return namespacePaths.get(map);
}

/** A Map that tells the active recorder what is read from and written to it. */
export class RecordingMap<V> extends Map<string, V> {
  /** Open journals (innermost last): each keeps the value a key had before its first change. */
  private journals: ScopeJournal<V>[] | undefined;

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
    // Journals first: they ask the recorder whether the statement had seen the key before.
    if (this.journals) for (const j of this.journals) j.touch(key);
    active?.write(this, key, value);
    return super.set(key, value);
  }

  override delete(key: string): boolean {
    if (this.journals) for (const j of this.journals) j.touch(key);
    active?.write(this, key, DELETED);
    return super.delete(key);
  }

  override clear(): void {
    if (active?.tracks(this)) active.opaque = true;
    if (this.journals) for (const key of super.keys()) for (const j of this.journals) j.touch(key);
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

  /** The size, without telling the recorder (a replay checks what the caller decided on it). */
  peekSize(): number {
    return super.size;
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

  /** Starts keeping what changes from now on (see ScopeJournal). */
  openJournal(): ScopeJournal<V> {
    const journal = new ScopeJournal(this);
    (this.journals ??= []).push(journal);
    return journal;
  }

  closeJournal(journal: ScopeJournal<V>): void {
    const list = this.journals;
    if (!list) return;
    const i = list.lastIndexOf(journal);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.journals = undefined;
  }
}

/**
 * The changes made to a namespace since a point of a statement's evaluation, so an undecided `if`
 * can run each side from the same state and join them, and a raising guard can be undone, without
 * copying the namespace: a copy reads every name (no record could be replayed) and costs as much
 * as the namespace is large (3,000 names).
 */
export class ScopeJournal<V> {
  /** Each changed key's value at the journal's start (undefined: unbound). */
  private readonly originals = new Map<string, V | undefined>();
  /** Changed keys the statement had not seen before: their value at the start is one of its inputs. */
  private readonly unseen = new Set<string>();

  constructor(private readonly map: RecordingMap<V>) {}

  /** `key` is about to change. */
  touch(key: string): void {
    if (this.originals.has(key)) return;
    this.originals.set(key, this.map.peek(key));
    if (active && !active.hasSeen(this.map, key)) this.unseen.add(key);
  }

  /** The keys changed since the start, with their values now (undefined: unbound). */
  changes(): Map<string, V | undefined> {
    const now = new Map<string, V | undefined>();
    for (const key of this.originals.keys()) now.set(key, this.map.peek(key));
    return now;
  }

  /** A changed key's value at the start. */
  original(key: string): V | undefined {
    return this.originals.has(key) ? this.originals.get(key) : this.map.peek(key);
  }

  /**
   * Puts every changed key back as it was at the start. What comes after may read those values,
   * which the statement had not read itself: they are inputs of its record. The record's writes
   * end with the restored values (a replay applies the writes in order).
   */
  undo(): void {
    for (const [key, value] of this.originals) {
      if (this.unseen.has(key)) active?.input(this.map, key, value);
      this.map.put(key, value === undefined ? DELETED : value);
      active?.write(this.map, key, value === undefined ? DELETED : value);
    }
  }

  close(): void {
    this.map.closeJournal(this);
  }
}

/**
 * A read or write of one key. `source` is 0 for the module's own namespace, 1 for the process
 * environment, a path for another module's namespace, RESOLVED for an import's resolution (key: the
 * request, value: the answer), LOADED for a module found already loaded (key: its path).
 */
type Access = [source: number | string, key: string, value: unknown];

/**
 * A statement's writes, three entries each (map index, key, value) in one flat array: a star
 * import writes 3,000 names, and a keystroke that changes the module it imports runs it again in
 * every profile that imports it; one small array per write was most of what that allocated.
 */
export type Writes = unknown[];

export const RESOLVED = -1;
export const LOADED = -2;
/** A module loaded from the module cache (key: its path, value: the cache entry). */
export const SHARED = -3;

/** What a replay checks records against: the replaying evaluation. */
export interface ReplayWorld {
  /** The module's namespace and the process environment, as the `source` numbers 0 and 1 name them. */
  maps: RecordingMap<unknown>[];
  /** The namespace module `path` has in this evaluation, if it is loaded. */
  namespace(path: string): RecordingMap<unknown> | undefined;
  /** What an import request (as `Recorder.resolved` got it) resolves to now. */
  resolve(request: string): string;
  /** Whether module `path` is loaded, completely, in this evaluation. */
  loaded(path: string): boolean;
  /** Loads module `path` from the module cache as the record did; false if it would not come from there now. */
  loadShared(path: string, entry: unknown): boolean;
}

/** What one statement's evaluation read and did. */
export interface StatementRecord {
  row: number;
  /** The statement did something a record cannot describe: never replayed, `writes` kept for `reuse`. */
  opaque?: boolean;
  reads: Access[];
  writes: Writes;
  notes: EvalNote[];
}

/** Records one statement while it is evaluated. */
export class Recorder {
  opaque = false;
  readonly reads: Access[] = [];
  readonly writes: Writes = [];
  /** Keys already read or written, per map: only the first access to a key is an input. */
  private readonly seen: Set<string>[];
  private readonly foreignSeen = new Set<string>();
  private readonly inputs = new Set<string>();
  private readonly skippedNotes: [from: number, to: number][] = [];

  constructor(
    private readonly maps: RecordingMap<unknown>[],
    /** The module whose statement this is: reading any other module's code makes it opaque. */
    readonly modulePath: string,
  ) {
    this.seen = maps.map(() => new Set());
  }

  /** Whether iterating `map` is something the record cannot describe. */
  tracks(map: Map<string, unknown>): boolean {
    return this.maps.includes(map as RecordingMap<unknown>) || namespacePaths.has(map);
  }

  read(map: Map<string, unknown>, key: string, value: unknown): void {
    const index = this.maps.indexOf(map as RecordingMap<unknown>);
    if (index < 0) {
      const path = namespacePaths.get(map);
      if (path === undefined) return;
      // Another module's global, read by a function of that module the statement called.
      const seenKey = `${path}\0${key}`;
      if (this.foreignSeen.has(seenKey)) return;
      this.foreignSeen.add(seenKey);
      this.reads.push([path, key, value]);
      return;
    }
    // A name the statement itself bound (or already read) is not a new input.
    const seen = this.seen[index]!;
    if (seen.has(key)) return;
    seen.add(key);
    this.reads.push([index, key, value]);
  }

  write(map: Map<string, unknown>, key: string, value: unknown): void {
    const index = this.maps.indexOf(map as RecordingMap<unknown>);
    if (index < 0) {
      // `global X` in another module's function: a replay would have to write there too.
      if (namespacePaths.has(map)) this.opaque = true;
      return;
    }
    this.seen[index]!.add(key);
    this.writes.push(index, key, value);
  }

  hasSeen(map: Map<string, unknown>, key: string): boolean {
    const index = this.maps.indexOf(map as RecordingMap<unknown>);
    return index >= 0 && this.seen[index]!.has(key);
  }

  /** `key` held `value` when the statement started, and what the statement computed depends on it. */
  input(map: Map<string, unknown>, key: string, value: unknown): void {
    const index = this.maps.indexOf(map as RecordingMap<unknown>);
    if (index < 0) return;
    const marker = `${index}\0${key}`;
    if (this.inputs.has(marker)) return;
    this.inputs.add(marker);
    this.seen[index]!.add(key);
    this.reads.push([index, key, value]);
  }

  /** An import resolved `request` to `answer`. */
  resolved(request: string, answer: string): void {
    this.reads.push([RESOLVED, request, answer]);
  }

  /** An import found module `path` loaded and complete: nothing was evaluated. */
  foundLoaded(path: string): void {
    this.reads.push([LOADED, path, true]);
  }

  /** Module `path` came from the module cache; the load added notes [from, to), which a replay of the load adds again. */
  loadedShared(path: string, entry: unknown, from: number, to: number): void {
    this.reads.push([SHARED, path, entry]);
    if (to > from) this.skippedNotes.push([from, to]);
  }

  /** The notes the statement added from index `from` on, without those a replayed load adds. */
  ownNotes<T>(notes: T[], from: number): T[] {
    if (this.skippedNotes.length === 0) return notes.slice(from);
    return notes.filter((_, i) => i >= from && !this.skippedNotes.some(([a, b]) => i >= a && i < b));
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

/** An import resolved `request` (see ReplayWorld.resolve) to `answer`. */
export function resolvedImport(request: string, answer: string): void {
  active?.resolved(request, answer);
}

/** An import found module `path` already loaded and complete. */
export function foundLoadedModule(path: string): void {
  active?.foundLoaded(path);
}

/** An import loaded module `path` from the module cache (`entry`), adding notes [from, to). */
export function loadedShared(path: string, entry: unknown, from: number, to: number): void {
  active?.loadedShared(path, entry, from, to);
}

/**
 * Replays a record into `world.maps` (this evaluation's namespace and environment) if everything
 * it read is still bound to the same objects in this evaluation, and its imports resolve and find
 * their modules loaded as before.
 */
export function replay(record: StatementRecord, stmt: SyntaxNode, world: ReplayWorld, notes: EvalNote[]): boolean {
  if (record.opaque || record.row !== stmt.startRow) return false;
  for (const [source, key, value] of record.reads) {
    if (typeof source === 'string') {
      const namespace = world.namespace(source);
      if (!namespace || namespace.peek(key) !== value) return false;
    } else if (source === RESOLVED) {
      if (world.resolve(key) !== value) return false;
    } else if (source === LOADED) {
      if (!world.loaded(key)) return false;
    } else if (source === SHARED) {
      if (!world.loadShared(key, value)) return false;
    } else if (world.maps[source]!.peek(key) !== value) return false;
  }
  const writes = record.writes;
  for (let i = 0; i < writes.length; i += 3) world.maps[writes[i] as number]!.put(writes[i + 1] as string, writes[i + 2] as never);
  for (const n of record.notes) notes.push(n);
  return true;
}

/**
 * After a statement was evaluated again, binds each name it wrote to the object the previous
 * evaluation wrote when the two are equal: an `import os` (never replayed, since whether an import
 * resolves depends on the disk) then leaves `os` bound to the same object, and the statements that
 * read it can still be replayed.
 */
export function reuseEqualWrites(previous: StatementRecord, writes: Writes, maps: RecordingMap<unknown>[]): void {
  const old = previous.writes;
  if (old.length === 0) return;
  // Usually the statement wrote the same keys in the same order, most of them the very same
  // objects (a star import of a module with one edited statement): compare in step, and index the
  // previous writes only if the order differs.
  let i = 0;
  for (; i < writes.length && i < old.length; i += 3) {
    if (old[i] !== writes[i] || old[i + 1] !== writes[i + 1]) break;
    const value = writes[i + 2];
    const before = old[i + 2];
    if (before === value || !sameValue(before, value, 0)) continue;
    const map = maps[writes[i] as number]!;
    const key = writes[i + 1] as string;
    if (map.peek(key) === value) map.put(key, before as never);
    writes[i + 2] = before;
  }
  if (i >= writes.length) return;
  // The rest by key (a star import of a module where one name was renamed: 3,000 writes).
  const byMap = new Map<unknown, Map<string, unknown>>();
  for (let j = i; j < old.length; j += 3) {
    let byKey = byMap.get(old[j]);
    if (!byKey) byMap.set(old[j], (byKey = new Map()));
    byKey.set(old[j + 1] as string, old[j + 2]);
  }
  for (let j = i; j < writes.length; j += 3) {
    const key = writes[j + 1] as string;
    const value = writes[j + 2];
    const before = byMap.get(writes[j])?.get(key);
    if (before === undefined || before === value || !sameValue(before, value, 0)) continue;
    const map = maps[writes[j] as number]!;
    if (map.peek(key) === value) map.put(key, before as never);
    writes[j + 2] = before;
  }
}

/**
 * Structural equality of evaluator values. Two namespaces of the same module are equal: whoever
 * holds one (a module value, a function's globals) looks the module up in the current evaluation.
 * Other namespaces (RecordingMap) and syntax nodes are compared by identity, which also keeps the
 * walk out of cycles (a function's globals hold it).
 */
function sameValue(a: unknown, b: unknown, depth: number): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || depth > 12) return false;
  if (a instanceof RecordingMap || b instanceof RecordingMap) {
    const path = namespacePaths.get(a as RecordingMap<unknown>);
    return path !== undefined && path === namespacePaths.get(b as RecordingMap<unknown>);
  }
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

/** Called for each top-level statement a recording evaluation replays or runs (tests follow the memo with it). */
export type StatementTrace = (modulePath: string, stmt: SyntaxNode, replayed: boolean) => void;
let trace: StatementTrace | undefined;

export function setStatementTrace(fn: StatementTrace | undefined): void {
  trace = fn;
}

export function traceStatement(modulePath: string, stmt: SyntaxNode, replayed: boolean): void {
  trace?.(modulePath, stmt, replayed);
}

/** Records per module text: the syntax root of the module's current tree and its statements. */
const memos = new WeakMap<SyntaxNode, Map<string, Map<SyntaxNode, StatementRecord>>>();

/** Replaces the records of a module's last evaluation. */
export function storeRecords(root: SyntaxNode, moduleName: string, records: Map<SyntaxNode, StatementRecord>): void {
  let byName = memos.get(root);
  if (!byName) memos.set(root, (byName = new Map()));
  byName.set(moduleName, records);
}

/** The records of a module's last evaluation (per module name: `__name__` differs between projects). */
export function recordsFor(root: SyntaxNode, moduleName: string): Map<SyntaxNode, StatementRecord> {
  let byName = memos.get(root);
  if (!byName) memos.set(root, (byName = new Map()));
  let records = byName.get(moduleName);
  if (!records) byName.set(moduleName, (records = new Map()));
  return records;
}

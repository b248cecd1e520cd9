// Results of project-wide rules (views, requirements, Dockerfiles...) cached between analyses.
// While a rule runs, every file it reads and every setting it asks for is recorded; the next
// analysis reuses its findings when none of those files changed and those settings still have the
// same value at the same place. A keystroke in a settings module then re-runs only the rules that
// read it, not the scanners of thousands of other files.
import type { SettingsEditor } from './fixes/settingsEditor';
import type { PythonSources } from './project/sources';
import type { SettingsProfile } from './settings/profile';
import type { Value } from './settings/value';
import type { Finding, Location } from './types';
import type { FileSystem } from './workspace';

/**
 * Something a rule derived from a file (does it mention sentry_sdk? which packages does it
 * import?), recorded instead of the file itself: when the file changes, the fact is computed again
 * and the rule's findings stay valid if it came out the same (early cutoff). A keystroke in a
 * settings module then leaves alone the rules that only asked whether it mentions something.
 */
export interface Fact {
  file: string;
  value: string;
  recompute: () => string;
}

/** Pseudo-setting: the list of files a profile's evaluation read. */
const FILES_READ = '\0filesRead';
/** Pseudo-setting: the profile's environment-reading habits (what fixes imitate). */
const ENV_STYLE = '\0envStyle';
/** Pseudo-setting: where findings about unassigned settings go (after the imports). */
const MISSING_ANCHOR = '\0missingAnchor';
/** Pseudo-setting: whether settings the analysis cannot see may exist. */
const MAY_DEFINE_MORE = '\0mayDefineMore';
/** Pseudo-setting: the names the settings assign. */
const SETTING_NAMES = '\0settingNames';
/** Pseudo-settings: a variable the settings put in the process environment (prefix + name). */
const ENVIRONMENT = '\0environment:';

export interface Dependencies {
  /** Files read as text: any change makes the result stale. */
  files: Set<string>;
  /**
   * Python modules whose code only was read (statements, not comments or blank lines between
   * them): a stale result only when the module's code changes (Analyzer.codeChanged).
   */
  code: Set<string>;
  facts: Map<string, Fact>;
  settings: Set<string>;
  /**
   * Kept values used (cache key → the value object): valid while each of them is, and is still
   * that object. A shared model's dependencies are referred to, not copied into every user's.
   */
  refs: Map<string, unknown>;
  /** The rule read the profile as a whole (its scope, notes, other modules): never cached. */
  wholeProfile: boolean;
}

export function emptyDependencies(): Dependencies {
  return { files: new Set(), code: new Set(), facts: new Map(), settings: new Set(), refs: new Map(), wholeProfile: false };
}

export function mergeDependencies(into: Dependencies, from: Dependencies): void {
  for (const f of from.files) into.files.add(f);
  for (const f of from.code) into.code.add(f);
  for (const [k, f] of from.facts) into.facts.set(k, f);
  for (const s of from.settings) into.settings.add(s);
  for (const [k, v] of from.refs) into.refs.set(k, v);
  into.wholeProfile ||= from.wholeProfile;
}

interface Entry {
  epoch: number;
  files: Set<string>;
  /** Modules read for their code, with their code versions then. */
  code: Map<string, number>;
  facts: Map<string, Fact[]>;
  settings: Map<string, string>;
  refs: Map<string, unknown>;
  value: unknown;
  /** Length of the change log when the entry was last known valid. */
  seen: number;
  /**
   * The profile the entry (its settings and the entries it refers to) was last found valid with:
   * a profile's fingerprints never change, and an edit that leaves every binding alone keeps the
   * profile object (early cutoff).
   */
  matched: SettingsProfile | undefined;
}

function loc(l: Location | undefined): string {
  return l ? `${l.file}:${l.range.start.line}:${l.range.start.character}-${l.range.end.line}:${l.range.end.character}` : '';
}

/** Fingerprints of values already seen (values are never changed once made). */
const fingerprints = new WeakMap<Value, string>();

/** A value's identity for caching: what it is and where it comes from (findings carry positions). */
export function fingerprint(v: Value, depth = 0): string {
  if (depth > 6) return '…';
  if (depth === 0) {
    let fp = fingerprints.get(v);
    if (fp === undefined) fingerprints.set(v, (fp = fingerprintOf(v, 0)));
    return fp;
  }
  return fingerprintOf(v, depth);
}

function fingerprintOf(v: Value, depth: number): string {
  const at = `@${loc(v.src)}${v.env ? `|env:${v.env.names.join(',')}:${loc(v.env.fallback)}:${v.env.setType}` : ''}`;
  switch (v.kind) {
    case 'none':
      return 'N' + at;
    case 'bool':
    case 'int':
    case 'float':
    case 'str':
    case 'path':
      return `${v.kind}:${String(v.value)}${at}`;
    case 'list':
    case 'tuple':
    case 'set':
      return `${v.kind}${v.partial ? '+' : ''}[${v.items.map((i) => fingerprint(i, depth + 1)).join(',')}]${at}`;
    case 'dict':
      return `dict${v.partial ? '+' : ''}{${v.entries.map((e) => `${fingerprint(e.key, depth + 1)}=${fingerprint(e.value, depth + 1)}`).join(',')}}${at}`;
    case 'unknown':
      return `U:${v.reason}:${(v.required ?? []).join(',')}${at}`;
    case 'builtin':
      return `B:${v.name}${at}`;
    case 'module':
      return `M:${v.name}`;
    case 'function':
      return `F:${v.fn.file}:${v.fn.name}`;
    default:
      return `${v.kind}${at}`;
  }
}

export interface ChangeMark {
  epoch: number;
  at: number;
}

export class RuleResultCache {
  private entries = new Map<string, Entry>();
  private versions = new Map<string, number>();
  /** Every file change, in order: an entry checks only the changes made since it last did. */
  private changes: string[] = [];
  /** Changes dropped from the front of `changes` (a long session would otherwise keep them all). */
  private dropped = 0;
  /** Bumped when the workspace listing or the project model changes: every entry is stale. */
  private epoch = 0;
  /**
   * Entries to check before use: a file they read changed since they were last found valid, or
   * an entry they refer to may have. Every other entry is valid as it stands (for the profile it
   * last matched): a keystroke in one module checks the few entries that read it, and their
   * referrers, instead of the thousand-odd entries of a workspace of several projects.
   */
  private suspect = new Set<string>();
  /** File → keys of the entries that read it (text, code or a fact about it). */
  private dependents = new Map<string, Set<string>>();
  /** Key → keys of the entries that refer to its value. */
  private referrers = new Map<string, Set<string>>();

  touch(path: string): void {
    this.versions.set(path, (this.versions.get(path) ?? 0) + 1);
    this.changes.push(path);
    if (this.changes.length > 20_000) {
      // Entries not validated since the dropped changes can no longer be checked: recomputed.
      this.changes = this.changes.slice(10_000);
      this.dropped += 10_000;
    }
    for (const key of this.dependents.get(path) ?? []) this.markSuspect(key);
  }

  /** Marks an entry, and whatever refers to it, directly or not, as to be checked. */
  private markSuspect(key: string): void {
    const stack = [key];
    while (stack.length > 0) {
      const k = stack.pop()!;
      // Already marked: so are its referrers (an entry is made or checked, which unmarks it,
      // before anything can come to refer to it).
      if (this.suspect.has(k)) continue;
      this.suspect.add(k);
      const cut = k.indexOf('\0');
      const prefix = cut < 0 ? k : k.slice(0, cut);
      this.marksByPrefix.set(prefix, (this.marksByPrefix.get(prefix) ?? 0) + 1);
      for (const r of this.referrers.get(k) ?? []) stack.push(r);
    }
  }

  /** Per key prefix (the part before the first NUL: a project's root), how many of its entries were marked. */
  private marksByPrefix = new Map<string, number>();

  /**
   * Changes whenever an entry whose key starts with `prefix` and a NUL may have become stale (it
   * is marked, dropped or replaced, or everything is). While it is the same, every entry of the
   * prefix that was valid is still valid.
   */
  stamp(prefix: string): string {
    return `${this.epoch}:${this.marksByPrefix.get(prefix) ?? 0}`;
  }

  invalidateAll(): void {
    this.epoch++;
    // Every entry is stale: what they read and refer to no longer matters.
    this.suspect.clear();
    this.dependents.clear();
    this.referrers.clear();
  }

  /** Drops the entries whose key starts with `prefix` (a project's, when a one-shot analysis is done with it). */
  forget(prefix: string): void {
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.delete(key);
  }

  /** Drops one entry (a rule to run again on the current files). */
  delete(key: string): void {
    if (!this.entries.has(key)) return;
    // Whatever refers to it is no longer valid.
    this.markSuspect(key);
    this.suspect.delete(key);
    this.entries.delete(key);
  }

  /** A point in the change history, for `changedSince`. */
  mark(): ChangeMark {
    return { epoch: this.epoch, at: this.dropped + this.changes.length };
  }

  /** Whether any of `paths` changed after `mark` (or anything at all can no longer be told). */
  changedSince(mark: ChangeMark, paths: ReadonlySet<string>): boolean {
    if (mark.epoch !== this.epoch || mark.at < this.dropped) return true;
    for (let i = mark.at - this.dropped; i < this.changes.length; i++) if (paths.has(this.changes[i]!)) return true;
    return false;
  }

  private version(path: string): number {
    return this.versions.get(path) ?? 0;
  }

  /** The current versions of some files, to tell later whether any of them changed. */
  snapshot(paths: Iterable<string>): { epoch: number; versions: Map<string, number> } {
    const versions = new Map<string, number>();
    for (const p of paths) versions.set(p, this.version(p));
    return { epoch: this.epoch, versions };
  }

  isCurrent(snap: { epoch: number; versions: Map<string, number> }): boolean {
    if (snap.epoch !== this.epoch) return false;
    for (const [p, v] of snap.versions) if (this.version(p) !== v) return false;
    return true;
  }

  /**
   * Versions that change only when a file's code does (the analyzer tells: not for a comment or a
   * blank line). Evaluations of settings modules depend on these; rules on the text versions.
   */
  private codeVersions = new Map<string, number>();

  touchCode(path: string): void {
    this.codeVersions.set(path, (this.codeVersions.get(path) ?? 0) + 1);
  }

  codeSnapshot(paths: Iterable<string>): { epoch: number; versions: Map<string, number> } {
    const versions = new Map<string, number>();
    for (const p of paths) versions.set(p, this.codeVersions.get(p) ?? 0);
    return { epoch: this.epoch, versions };
  }

  isCodeCurrent(snap: { epoch: number; versions: Map<string, number> }): boolean {
    if (snap.epoch !== this.epoch) return false;
    for (const [p, v] of snap.versions) if ((this.codeVersions.get(p) ?? 0) !== v) return false;
    return true;
  }

  /** Fingerprints per profile (a profile does not change once evaluated) and setting. */
  private profilePrints = new WeakMap<SettingsProfile, Map<string, string>>();

  settingFingerprint(profile: SettingsProfile | undefined, name: string): string {
    if (!profile) return 'no-profile';
    let prints = this.profilePrints.get(profile);
    if (!prints) this.profilePrints.set(profile, (prints = new Map()));
    let fp = prints.get(name);
    if (fp === undefined) prints.set(name, (fp = this.computeFingerprint(profile, name)));
    return fp;
  }

  private computeFingerprint(profile: SettingsProfile, name: string): string {
    if (name === FILES_READ) return [...profile.filesRead].join('\n');
    if (name === ENV_STYLE) return JSON.stringify(profile.envStyle);
    if (name === MISSING_ANCHOR) return loc(profile.missingAnchor);
    if (name === MAY_DEFINE_MORE) return String(profile.mayDefineMore);
    if (name === SETTING_NAMES) return profile.settingNames().join('\n');
    if (name.startsWith(ENVIRONMENT)) {
      const v = profile.environmentValue(name.slice(ENVIRONMENT.length));
      return v ? fingerprint(v) : 'unset';
    }
    const s = profile.setting(name);
    return `${fingerprint(s.value)}#${loc(s.binding?.rhs)}`;
  }

  get(key: string, profile: SettingsProfile | undefined): Finding[] | undefined {
    return this.getValue(key, profile) as Finding[] | undefined;
  }

  /** `get`, with the files (text and code) the findings were computed from. */
  getFiles(key: string, profile: SettingsProfile | undefined): { findings: Finding[]; files: ReadonlySet<string>; code: Iterable<string> } | undefined {
    const findings = this.get(key, profile);
    if (!findings) return undefined;
    const e = this.entries.get(key)!;
    return { findings, files: e.files, code: e.code.keys() };
  }

  set(key: string, deps: Dependencies, profile: SettingsProfile | undefined, findings: Finding[]): void {
    this.setValue(key, deps, profile, findings);
  }

  /** A value computed from `deps` (a rule's findings, a model rules share), if still valid. */
  getValue(key: string, profile: SettingsProfile | undefined): unknown {
    const e = this.entries.get(key);
    if (!e || e.epoch !== this.epoch) return undefined;
    if (e.matched === profile && !this.suspect.has(key)) {
      // Nothing it read or refers to changed since it was last found valid with this profile.
      e.seen = this.dropped + this.changes.length;
      return e.value;
    }
    if (e.matched !== profile) {
      for (const [name, fp] of e.settings) if (this.settingFingerprint(profile, name) !== fp) return undefined;
    }
    if (e.seen < this.dropped) return undefined;
    // Usually one change since the entry was last checked (the keystroke): no set of checked paths then.
    const from = e.seen - this.dropped;
    let checked: Set<string> | undefined;
    for (let i = from; i < this.changes.length; i++) {
      const path = this.changes[i]!;
      if (e.files.has(path)) return undefined;
      const code = e.code.get(path);
      if (code !== undefined && code !== (this.codeVersions.get(path) ?? 0)) return undefined;
      if (i > from) {
        checked ??= new Set([this.changes[from]!]);
        if (checked.has(path)) continue;
        checked.add(path);
      }
      for (const f of e.facts.get(path) ?? []) if (f.recompute() !== f.value) return undefined;
    }
    for (const [key, value] of e.refs) if (this.getValue(key, profile) !== value) return undefined;
    e.seen = this.dropped + this.changes.length;
    e.matched = profile;
    this.suspect.delete(key);
    return e.value;
  }

  /** Whether `key` holds `value` (a value whose dependencies made it uncacheable is not kept). */
  holds(key: string, value: unknown): boolean {
    return this.entries.get(key)?.value === value;
  }

  /** The files (text or code) an entry and the entries it refers to were computed from. */
  filesOf(key: string, into: Set<string>, seen = new Set<string>()): void {
    const e = this.entries.get(key);
    if (!e || seen.has(key)) return;
    seen.add(key);
    for (const f of e.files) into.add(f);
    for (const f of e.code.keys()) into.add(f);
    for (const f of e.facts.keys()) into.add(f);
    for (const k of e.refs.keys()) this.filesOf(k, into, seen);
  }

  setValue(key: string, deps: Dependencies, profile: SettingsProfile | undefined, value: unknown): void {
    if (deps.wholeProfile) {
      this.delete(key);
      return;
    }
    const files = new Set(deps.files);
    const code = new Map<string, number>();
    for (const p of deps.code) if (!files.has(p)) code.set(p, this.codeVersions.get(p) ?? 0);
    const settings = new Map<string, string>();
    for (const n of deps.settings) settings.set(n, this.settingFingerprint(profile, n));
    // A file read as a whole makes facts about it redundant.
    const facts = new Map<string, Fact[]>();
    for (const f of deps.facts.values()) {
      if (files.has(f.file)) continue;
      const list = facts.get(f.file);
      if (list) list.push(f);
      else facts.set(f.file, [f]);
    }
    // A value replaced: whatever referred to the old one is no longer valid.
    if (this.entries.has(key)) this.markSuspect(key);
    this.suspect.delete(key);
    this.entries.set(key, { epoch: this.epoch, files, code, facts, settings, refs: new Map(deps.refs), value, seen: this.dropped + this.changes.length, matched: profile });
    const depend = (path: string) => {
      let keys = this.dependents.get(path);
      if (!keys) this.dependents.set(path, (keys = new Set()));
      keys.add(key);
    };
    for (const p of files) depend(p);
    for (const p of code.keys()) depend(p);
    for (const p of facts.keys()) depend(p);
    for (const ref of deps.refs.keys()) {
      let keys = this.referrers.get(ref);
      if (!keys) this.referrers.set(ref, (keys = new Set()));
      keys.add(key);
    }
  }
}

/** A file system that records what it is asked for. */
export function recordingFs(fs: FileSystem, deps: () => Dependencies): FileSystem {
  return {
    readFile: (p) => (deps().files.add(p), fs.readFile(p)),
    isFile: (p) => (deps().files.add(p), fs.isFile(p)),
    isDirectory: (p) => fs.isDirectory(p),
    list: (d) => fs.list(d),
  };
}

/** Parsed sources that record which files a rule parsed. */
export function recordingSources(sources: PythonSources, fs: FileSystem, deps: () => Dependencies): PythonSources {
  return new Proxy(sources, {
    get(target, prop, receiver) {
      if (prop === 'get') return (p: string) => (deps().files.add(p), target.get(p));
      if (prop === 'code') return (p: string) => (deps().code.add(p), target.code(p));
      if (prop === 'fs') return fs;
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** A profile that records which settings a rule read; reading anything else marks it whole-profile. */
export function recordingProfile(profile: SettingsProfile, deps: () => Dependencies): SettingsProfile {
  return new Proxy(profile, {
    get(target, prop, receiver) {
      if (prop === 'setting') return (name: string) => (deps().settings.add(name), target.setting(name));
      if (prop === 'project' || prop === 'module' || prop === 'version') return Reflect.get(target, prop, receiver);
      if (prop === 'filesRead') {
        // The list of files the settings are made of (a rule that reads one of them records that).
        deps().settings.add(FILES_READ);
        return target.filesRead;
      }
      if (prop === 'missingAnchor') {
        deps().settings.add(MISSING_ANCHOR);
        return target.missingAnchor;
      }
      if (prop === 'mayDefineMore') {
        deps().settings.add(MAY_DEFINE_MORE);
        return target.mayDefineMore;
      }
      if (prop === 'settingNames') {
        return () => (deps().settings.add(SETTING_NAMES), target.settingNames());
      }
      if (prop === 'environmentValue') {
        return (name: string) => (deps().settings.add(ENVIRONMENT + name), target.environmentValue(name));
      }
      if (prop === 'envStyle') {
        deps().settings.add(ENV_STYLE);
        return target.envStyle;
      }
      if (prop === 'silencedChecks') {
        deps().settings.add('SILENCED_SYSTEM_CHECKS');
        return target.silencedChecks;
      }
      deps().wholeProfile = true;
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

export type EditorFactory = (profile: SettingsProfile, sources: PythonSources) => SettingsEditor;

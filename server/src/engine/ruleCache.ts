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

export interface Dependencies {
  files: Set<string>;
  settings: Set<string>;
  /** The rule read the profile as a whole (its scope, notes, other modules): never cached. */
  wholeProfile: boolean;
}

export function emptyDependencies(): Dependencies {
  return { files: new Set(), settings: new Set(), wholeProfile: false };
}

export function mergeDependencies(into: Dependencies, from: Dependencies): void {
  for (const f of from.files) into.files.add(f);
  for (const s of from.settings) into.settings.add(s);
  into.wholeProfile ||= from.wholeProfile;
}

interface Entry {
  epoch: number;
  files: Map<string, number>;
  settings: Map<string, string>;
  findings: Finding[];
}

function loc(l: Location | undefined): string {
  return l ? `${l.file}:${l.range.start.line}:${l.range.start.character}-${l.range.end.line}:${l.range.end.character}` : '';
}

/** A value's identity for caching: what it is and where it comes from (findings carry positions). */
export function fingerprint(v: Value, depth = 0): string {
  if (depth > 6) return '…';
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

export class RuleResultCache {
  private entries = new Map<string, Entry>();
  private versions = new Map<string, number>();
  /** Bumped when the workspace listing or the project model changes: every entry is stale. */
  private epoch = 0;

  touch(path: string): void {
    this.versions.set(path, (this.versions.get(path) ?? 0) + 1);
  }

  invalidateAll(): void {
    this.epoch++;
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

  settingFingerprint(profile: SettingsProfile | undefined, name: string): string {
    if (!profile) return 'no-profile';
    const s = profile.setting(name);
    return `${fingerprint(s.value)}#${loc(s.binding?.rhs)}`;
  }

  get(key: string, profile: SettingsProfile | undefined): Finding[] | undefined {
    const e = this.entries.get(key);
    if (!e || e.epoch !== this.epoch) return undefined;
    for (const [path, v] of e.files) if (this.version(path) !== v) return undefined;
    for (const [name, fp] of e.settings) if (this.settingFingerprint(profile, name) !== fp) return undefined;
    return e.findings;
  }

  set(key: string, deps: Dependencies, profile: SettingsProfile | undefined, findings: Finding[]): void {
    if (deps.wholeProfile) {
      this.entries.delete(key);
      return;
    }
    const files = new Map<string, number>();
    for (const f of deps.files) files.set(f, this.version(f));
    const settings = new Map<string, string>();
    for (const n of deps.settings) settings.set(n, this.settingFingerprint(profile, n));
    this.entries.set(key, { epoch: this.epoch, files, settings, findings });
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
        // The files the settings are made of: a change to any of them reruns the rule.
        for (const f of target.filesRead) deps().files.add(f);
        return target.filesRead;
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

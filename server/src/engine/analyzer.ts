// The engine's entry point, shared by the CLI, the language server and the tests: discovers the
// Django projects of a workspace, evaluates their production settings and runs the rules. It knows
// nothing of LSP or VS Code; callers feed it file changes and read findings.
import { compatibleFixes, editsByFile, applyEdits } from './fixes/apply';
import { SettingsEditor } from './fixes/settingsEditor';
import { ParserPool, type ContentChange } from './parsing/documents';
import type { SyntaxNode } from './parsing/syntax';
import type { DjangoVersion } from './project/djangoVersion';
import { type DjangoProject, type SettingsModule, discoverProjects, isSettingsNameCandidate, looksLikeSettings } from './project/model';
import { ProjectModuleHost, PythonSources } from './project/sources';
import { RULES } from './rules/index';
import type { ProjectContext, Rule, SettingsContext } from './rules/types';
import { evaluateProfile, type SettingsProfile } from './settings/profile';
import { type Dependencies, emptyDependencies, mergeDependencies, RuleResultCache, recordingFs, recordingProfile, recordingSources } from './ruleCache';
import { importsOf } from './deploy/pyimports';
import { applySuppressions } from './suppress';
import { matches, memoByText } from './textMemo';
import { availableParallelism } from 'node:os';
import { ParseAhead } from './parsing/parseAhead';
import type { ParseCache } from './parsing/parseCache';
import { isAppFile, parsedUpFront } from './views/model';

/** Fewer modules than this to parse up front are parsed faster than a worker starts. */
const PARSE_AHEAD_MINIMUM = 24;
import type { Finding, Fix, Severity } from './types';
import { type FixesOnRequest, type LaterFixes, laterFixesOf, withFixesOnRequest } from './laterFixes';
import { CachingFileSystem, DiskFileSystem, type FileSystem, globToRegExp, OverlayFileSystem, relativePosix, walkFiles } from './workspace';

export interface AnalyzerOptions {
  settingsOverride?: string;
  djangoVersion?: DjangoVersion;
  /** Rule ids, names or id prefixes ("DJ-SEC") to run; all when empty. */
  select?: string[];
  ignore?: string[];
  /** Workspace-relative globs of files to leave alone. */
  exclude?: string[];
  /** Per-rule severity overrides ("off" disables the rule). */
  severity?: Record<string, Severity | 'off'>;
  /**
   * Parse on a worker thread during the first analysis: 'auto' (the default) when the machine has
   * a core to spare for it, true always, false never. DJR_PARSE_AHEAD=0/1 overrides it.
   */
  parseAhead?: boolean | 'auto';
  /**
   * The workspace is analysed once (the CLI): each project's parsed modules and the caches built
   * for it are released once its findings are in, so a workspace of several projects peaks at the
   * memory of its largest one instead of their sum. An editor keeps them for the next keystroke.
   */
  oneShot?: boolean;
  /** Trees kept on disk between runs (the CLI's parse cache); the caller closes it. */
  parseCache?: ParseCache;
}

export interface AnalysisResult {
  findings: Finding[];
  projects: DjangoProject[];
  profiles: SettingsProfile[];
}

export class Analyzer {
  readonly fs: OverlayFileSystem;
  private readonly disk: CachingFileSystem;
  readonly sources: PythonSources;
  private files: string[] | undefined;
  private projectsCache: DjangoProject[] | undefined;
  private result: { generation: number; value: AnalysisResult } | undefined;
  private excludeRes: RegExp[];
  private readonly ruleCache = new RuleResultCache();
  private readonly profileCache = new Map<string, { project: DjangoProject; profile: SettingsProfile; snapshot: ReturnType<RuleResultCache['snapshot']> }>();

  private constructor(
    readonly root: string,
    disk: CachingFileSystem,
    private readonly pool: ParserPool,
    public options: AnalyzerOptions,
  ) {
    this.disk = disk;
    this.fs = new OverlayFileSystem(this.disk);
    this.sources = new PythonSources(this.fs, pool);
    this.sources.cache = options.parseCache;
    this.excludeRes = (options.exclude ?? []).map(globToRegExp);
  }

  static async create(root: string, options: AnalyzerOptions = {}, fs: FileSystem = new DiskFileSystem()): Promise<Analyzer> {
    // The workspace is walked while the grammar loads: V8 compiles its wasm on other threads.
    const pool = ParserPool.create(['python']);
    const disk = new CachingFileSystem(fs);
    const excludes = (options.exclude ?? []).map(globToRegExp);
    const files = walkFiles(disk, root, (p) => excluded(excludes, root, p));
    const analyzer = new Analyzer(root, disk, await pool, options);
    analyzer.files = files;
    return analyzer;
  }

  setOptions(options: AnalyzerOptions): void {
    this.options = options;
    this.enabled.clear();
    this.findingsEpoch++;
    this.excludeRes = (options.exclude ?? []).map(globToRegExp);
    this.forgetProjects();
    this.ruleCache.invalidateAll();
    this.result = undefined;
  }

  isExcluded(path: string): boolean {
    return excluded(this.excludeRes, this.root, path);
  }

  /** Every workspace file (walked once; refreshed by `filesChanged`). */
  workspaceFiles(): string[] {
    this.files ??= walkFiles(this.fs, this.root, (p) => this.isExcluded(p));
    return this.files;
  }

  private ownedFiles: { all: string[]; projects: DjangoProject[]; byProject: Map<DjangoProject, string[]> } | undefined;

  /** The workspace files a project owns; the same array until the file list or the projects change. */
  private projectFiles(project: DjangoProject): string[] {
    const all = this.workspaceFiles();
    const projects = this.projects();
    if (this.ownedFiles?.all !== all || this.ownedFiles.projects !== projects) this.ownedFiles = { all, projects, byProject: filesByProject(all, projects) };
    return this.ownedFiles.byProject.get(project) ?? [];
  }

  /** Objects rules keep per project across analyses (ProjectContext.kept), by project root. */
  private keptByProject = new Map<string, Map<string, unknown>>();

  /** The project model must be rebuilt (files created or deleted, entry points or options changed). */
  private forgetProjects(): void {
    this.projectsCache = undefined;
    this.filesetChanged();
  }

  /** Files may have been created or deleted: what was kept about which files exist goes. */
  private filesetChanged(): void {
    this.keptByProject.clear();
    for (const host of this.hosts.values()) host.filesetChanged();
  }

  projects(): DjangoProject[] {
    this.projectsCache ??= discoverProjects(this.fs, this.root, this.workspaceFiles(), {
      settingsOverride: this.options.settingsOverride,
      djangoVersion: this.options.djangoVersion,
    });
    return this.projectsCache;
  }

  // ------------------------------------------------------------ document and file events

  /** An editor buffer's full text (didOpen / full didChange). */
  setDocument(path: string, text: string): void {
    // Opening a file, or saving it unchanged, must not throw the project model away.
    if (this.fs.readFile(path) === text && (!path.endsWith('.py') || this.sources.has(path))) {
      this.fs.overlays.set(path, text);
      return;
    }
    // A buffer for a file not on disk yet adds a module: what was kept about which files exist goes.
    if (!this.fs.overlays.has(path) && !this.disk.isFile(path)) this.filesetChanged();
    this.fs.overlays.set(path, text);
    if (path.endsWith('.py')) this.sources.setText(path, text);
    this.fileTextChanged(path);
  }

  /** Incremental changes to an open buffer (didChange). */
  updateDocument(path: string, changes: ContentChange[], text: string): void {
    this.fs.overlays.set(path, text);
    // The first edit of a module: what its code was before, to tell whether the edit changed it.
    if (!this.codeSignatures.has(path)) this.codeSignatures.set(path, this.codeSignature(path) ?? { nodes: [], places: [], texts: [] });
    if (path.endsWith('.py') && this.sources.has(path)) this.sources.update(path, changes, text);
    else if (path.endsWith('.py')) this.sources.setText(path, text);
    this.fileTextChanged(path);
  }

  /** The buffer closed: the disk is the truth again. */
  closeDocument(path: string): void {
    const before = this.fs.overlays.get(path);
    if (!this.fs.overlays.delete(path)) return;
    if (this.fs.readFile(path) === before) return;
    if (path.endsWith('.py')) this.sources.invalidate(path);
    this.fileTextChanged(path);
  }

  /** Read a file from the disk again next time (a file we write ourselves, like the checklist). */
  forgetDisk(path: string): void {
    this.disk.invalidate(path);
  }

  /** Files changed on disk (watcher). Created or deleted files refresh the project model. */
  filesChanged(changes: { path: string; kind: 'created' | 'changed' | 'deleted' }[]): void {
    for (const c of changes) {
      this.disk.invalidate(c.path);
      if (this.fs.overlays.has(c.path)) continue;
      if (c.kind !== 'changed') this.files = undefined;
      if (c.path.endsWith('.py')) this.sources.invalidate(c.path);
      this.fileTextChanged(c.path);
    }
    if (changes.some((c) => c.kind !== 'changed')) {
      this.forgetProjects();
      this.ruleCache.invalidateAll();
    }
  }

  private fileTextChanged(path: string): void {
    this.ruleCache.touch(path);
    if (this.codeChanged(path)) this.ruleCache.touchCode(path);
    if (this.settingsMembershipChanged(path)) {
      this.forgetProjects();
      this.ruleCache.invalidateAll();
    }
    // Entry points and requirements decide the project model (production module, Django version).
    if (/(^|\/)(manage|wsgi|asgi)\.py$|Dockerfile|\.dockerfile$|compose.*\.ya?ml$|\.env|requirements|pyproject\.toml$|Pipfile$|Procfile$/.test(path)) {
      this.forgetProjects();
      this.ruleCache.invalidateAll();
    }
    this.result = undefined;
  }

  /** Per edited Python module: its top-level statements (place and text), comments left out. */
  private codeSignatures = new Map<string, CodeSignature>();

  /**
   * Whether an edit changed a module's code, not only its comments or blank lines: evaluations
   * (settings profiles, imported modules) depend on the code, so typing a comment leaves them as
   * they were. Any doubt (not parsed, not Python, not seen before) counts as a change. The last
   * signature is brought up to date in place: a keystroke in a module of 3,000 statements
   * compares them without making new arrays.
   */
  private codeChanged(path: string): boolean {
    const parsed = path.endsWith('.py') && this.sources.has(path) ? this.sources.get(path) : undefined;
    const before = this.codeSignatures.get(path);
    if (!parsed) {
      this.codeSignatures.delete(path);
      return true;
    }
    const kids = parsed.root.children;
    let count = 0;
    for (let i = 0; i < kids.length; i++) if (kids[i]!.type !== 'comment') count++;
    if (!before || before.nodes.length === 0 || before.nodes.length !== count) {
      this.codeSignatures.set(path, this.codeSignature(path)!);
      return true;
    }
    // A region reparse keeps the statements around the edit (the same objects, with the same
    // text, moved or not): only the others' texts are compared. Places are compared for all.
    const { nodes, places, texts } = before;
    let changed = false;
    for (let i = 0, j = 0; i < kids.length; i++) {
      const k = kids[i]!;
      if (k.type === 'comment') continue;
      const at = 4 * j;
      if (places[at] !== k.startRow || places[at + 1] !== k.startColumn || places[at + 2] !== k.endRow || places[at + 3] !== k.endColumn) {
        changed = true;
        places[at] = k.startRow;
        places[at + 1] = k.startColumn;
        places[at + 2] = k.endRow;
        places[at + 3] = k.endColumn;
      }
      if (nodes[j] !== k) {
        let text = statementTexts.get(k);
        if (text === undefined) statementTexts.set(k, (text = k.text));
        if (texts[j] !== text) changed = true;
        nodes[j] = k;
        texts[j] = text;
      }
      j++;
    }
    return changed;
  }

  /** A parsed module's top-level statements, place and text, comments left out; undefined if not parsed. */
  private codeSignature(path: string): CodeSignature | undefined {
    const parsed = path.endsWith('.py') && this.sources.has(path) ? this.sources.get(path) : undefined;
    if (!parsed) return undefined;
    const nodes: SyntaxNode[] = [];
    for (const k of parsed.root.children) if (k.type !== 'comment') nodes.push(k);
    const places = new Array<number>(nodes.length * 4);
    const texts = new Array<string>(nodes.length);
    nodes.forEach((k, i) => {
      places[4 * i] = k.startRow;
      places[4 * i + 1] = k.startColumn;
      places[4 * i + 2] = k.endRow;
      places[4 * i + 3] = k.endColumn;
      let text = statementTexts.get(k);
      if (text === undefined) statementTexts.set(k, (text = k.text));
      texts[i] = text;
    });
    return { nodes, places, texts };
  }

  /**
   * A file named like settings is a settings module only while its text looks like settings
   * (project/model.ts): an edit that makes it start or stop looking so changes the project model.
   */
  private settingsMembershipChanged(path: string): boolean {
    const projects = this.projectsCache;
    if (!projects || !isSettingsNameCandidate(this.fs, path)) return false;
    const listed = projects.some((p) => p.settingsModules.some((m) => m.path === path));
    // Modules an entry point names are listed whatever their text.
    if (listed && projects.some((p) => p.entryPoints.some((e) => e.path === path))) return false;
    return listed !== looksLikeSettings(this.fs.readFile(path));
  }

  // ------------------------------------------------------------ analysis

  /** Whether each rule runs under the current options (asked for every rule and project on every analysis). */
  private enabled = new Map<Rule, boolean>();

  private ruleEnabled(rule: Rule): boolean {
    let on = this.enabled.get(rule);
    if (on === undefined) {
      const matches = (list: string[]) => list.some((s) => rule.id === s.toUpperCase() || rule.name === s || rule.id.startsWith(s.toUpperCase()));
      on = !(this.options.select?.length && !matches(this.options.select)) && !(this.options.ignore?.length && matches(this.options.ignore)) && this.options.severity?.[rule.id] !== 'off';
      this.enabled.set(rule, on);
    }
    return on;
  }

  /**
   * Findings for the whole workspace; cached until a file changes. `settingsOnly` runs just the
   * settings rules (a quick first round at startup): nothing of it is kept as the result, but the
   * profiles it evaluates are, for the full analysis that follows.
   */
  analyze(options: { settingsOnly?: boolean } = {}): AnalysisResult {
    const generation = this.sources.generation;
    if (this.result && this.result.generation === generation) return this.result.value;
    this.analyzing = true;
    try {
      return this.analyzeNow(options, generation);
    } finally {
      this.analyzing = false;
    }
  }

  private analyzeNow(options: { settingsOnly?: boolean }, generation: number): AnalysisResult {
    const projects = this.projects();
    if (!this.parseAheadTried) this.startParseAhead(projects);
    const findings: Finding[] = [];
    const profiles: SettingsProfile[] = [];
    for (const project of projects) {
      const host = this.hostFor(project);
      // A module's profile is reused until a file its evaluation read changes.
      const profileOf = (module: SettingsModule) => {
        const key = `${project.root}\0${module.path}`;
        const cached = this.profileCache.get(key);
        if (cached && cached.project === project && this.ruleCache.isCodeCurrent(cached.snapshot)) return cached.profile;
        const fresh = evaluateProfile(project, module, host);
        // Early cutoff: an edit that changed no binding (a comment, spacing, a statement replayed
        // to the same objects) leaves the previous profile in place, and with it every cache keyed
        // by it (settings-rule findings, project rules' setting fingerprints).
        const p = cached && cached.project === project && sameProfile(cached.profile, fresh) ? cached.profile : fresh;
        this.profileCache.set(key, { project, profile: p, snapshot: this.ruleCache.codeSnapshot(p.filesRead) });
        return p;
      };
      const profile = project.production ? profileOf(project.production) : undefined;
      const before = findings.length;
      if (profile) {
        profiles.push(profile);
        findings.push(...this.runSettingsRules(profile));
      }
      if (!options.settingsOnly) findings.push(...this.runProjectRules(project, profile, profileOf));
      if (this.options.oneShot && !options.settingsOnly) {
        // The fixes are computed while the project's trees and caches are still there.
        for (let i = before; i < findings.length; i++) void findings[i]!.fixes;
        this.release(project);
      }
    }
    const visible = applySuppressions(
      findings.filter((f) => !this.isExcluded(f.file)),
      (file) => this.fs.readFile(file),
    );
    visible.sort((a, b) => compareText(a.file, b.file) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || compareText(a.code, b.code));
    const value = { findings: withoutDuplicates(visible), projects, profiles };
    if (!options.settingsOnly) {
      this.result = { generation, value };
      this.stopParseAhead();
    }
    return value;
  }

  /** What a one-shot analysis no longer needs of a project: its trees, module and rule caches. */
  private release(project: DjangoProject): void {
    this.sources.release();
    for (const key of this.hosts.keys()) if (key.startsWith(`${project.root}\0`)) this.hosts.delete(key);
    this.keptByProject.delete(project.root);
    this.ruleCache.forget(`${project.root}\0`);
  }

  private parseAheadTried = false;
  /** What the parse worker did in the first analysis (for --stats and the benchmarks). */
  parseAheadCounts: { fromWorker: number; byMain: number; waitedMs: number } | undefined;

  /**
   * The first analysis of a workspace parses the settings modules and the modules the view index
   * picks by text: a worker thread parses them meanwhile (parsing/parseAhead.ts), settings first,
   * in the order the analysis asks for them. Only worth a thread's start-up (~40 ms on another
   * core) when there are enough of them.
   */
  private startParseAhead(projects: DjangoProject[]): void {
    this.parseAheadTried = true;
    const setting = process.env.DJR_PARSE_AHEAD === '0' ? false : process.env.DJR_PARSE_AHEAD === '1' ? true : (this.options.parseAhead ?? 'auto');
    // A worker's tree costs the main thread next to nothing to take (packed words, nodes made when
    // read), so a second core is enough (docs/performance.md, session 8).
    if (setting === false || (setting === 'auto' && availableParallelism() < 2)) return;
    const files: { path: string; text: string }[] = [];
    const listed = new Set<string>();
    const add = (path: string, text: string | undefined) => {
      // Modules whose trees the parse cache holds are read from it, not parsed.
      if (text === undefined || text.length > 2_000_000 || listed.has(path) || this.sources.cache?.holds(text)) return;
      listed.add(path);
      files.push({ path, text });
    };
    for (const project of projects) for (const m of project.settingsModules) add(m.path, this.fs.readFile(m.path));
    for (const project of projects) {
      for (const path of this.projectFiles(project)) {
        if (!isAppFile(project, path)) continue;
        const text = this.fs.readFile(path);
        if (text !== undefined && parsedUpFront(path, text)) add(path, text);
      }
    }
    if (files.length === 0 || (setting === 'auto' && files.length < PARSE_AHEAD_MINIMUM)) return;
    this.sources.ahead = ParseAhead.start(files);
  }

  private stopParseAhead(): void {
    const ahead = this.sources.ahead;
    if (!ahead) return;
    this.parseAheadCounts = ahead.counts;
    ahead.dispose();
    this.sources.ahead = undefined;
  }

  /** Settings-rule findings per profile object, with the files the rules read. */
  private settingsFindings = new WeakMap<SettingsProfile, { findingsEpoch: number; snapshot: ReturnType<RuleResultCache['snapshot']>; code: ReturnType<RuleResultCache['codeSnapshot']>; findings: Finding[] }>();
  private findingsEpoch = 0;
  private settingsRecorder: { deps: Dependencies | undefined; sources: PythonSources } | undefined;

  /**
   * The settings rules on a profile. A profile reused from the cache (none of the files its
   * evaluation read changed) gets the findings of its last run back, unless a file the rules read
   * since changed: in a workspace of several projects, a keystroke in one project's settings does
   * not run the settings rules of the others again. A changed profile runs again only the rules
   * that read a setting that changed (value or place) or a file that changed (fix texts): a
   * keystroke in a dict of the defaults module leaves the rules about cookies and HSTS alone.
   */
  private runSettingsRules(profile: SettingsProfile): Finding[] {
    const cached = this.settingsFindings.get(profile);
    if (cached && cached.findingsEpoch === this.findingsEpoch && this.ruleCache.isCurrent(cached.snapshot) && this.ruleCache.isCodeCurrent(cached.code)) return cached.findings;
    if (!this.settingsRecorder) {
      const recorder: { deps: Dependencies | undefined; sources: PythonSources } = { deps: undefined, sources: this.sources };
      const deps = () => recorder.deps ?? emptyDependencies();
      recorder.sources = recordingSources(this.sources, recordingFs(this.fs, deps), deps);
      this.settingsRecorder = recorder;
    }
    const recorder = this.settingsRecorder;
    const read = emptyDependencies();
    try {
      const findings = this.settingsRulesOn(profile, recorder, read);
      this.settingsFindings.set(profile, { findingsEpoch: this.findingsEpoch, snapshot: this.ruleCache.snapshot(read.files), code: this.ruleCache.codeSnapshot(read.code), findings });
      return findings;
    } finally {
      recorder.deps = undefined;
    }
  }

  /** Runs (or takes from the rule cache) each settings rule; `read` gets the files all of them read. */
  private settingsRulesOn(profile: SettingsProfile, recorder: { deps: Dependencies | undefined; sources: PythonSources }, read: Dependencies): Finding[] {
    const out: Finding[] = [];
    const deps = () => recorder.deps ?? emptyDependencies();
    // The rule, the editor (its fixes) and the report (anchors, silenced checks) all read the
    // profile through this view, so each rule's entry names the settings it depends on.
    const recorded = recordingProfile(profile, deps);
    const edit = new SettingsEditor(recorded, recorder.sources, this.hostFor(profile.project));
    for (const rule of RULES) {
      if (rule.family !== 'settings' || !this.ruleEnabled(rule)) continue;
      const key = `settings\0${profile.project.root}\0${profile.module.path}\0${rule.id}`;
      const hit = this.ruleCache.getFiles(key, profile);
      if (hit) {
        for (const f of hit.files) read.files.add(f);
        for (const f of hit.code) read.code.add(f);
        out.push(...hit.findings);
        continue;
      }
      const own = emptyDependencies();
      recorder.deps = own;
      const findings: Finding[] = [];
      const later = this.laterFixes(key, this.isCurrentProfile(profile), (into, compute) => {
        const before = recorder.deps;
        recorder.deps = into;
        try {
          return compute();
        } finally {
          recorder.deps = before;
        }
      });
      const ctx: SettingsContext = {
        profile: recorded,
        edit,
        setting: (name) => recorded.setting(name),
        report: (r) => {
          const checks = r.djangoChecks ?? [];
          // Django's SILENCED_SYSTEM_CHECKS silences the rule that mirrors the check.
          if (checks.length > 0 && checks.every((c) => recorded.silencedChecks.has(c))) return;
          const anchor = r.at ?? (r.setting ? settingAnchor(recorded, r.setting) : recorded.missingAnchor);
          let severity = r.severity ?? rule.defaultSeverity;
          let message = r.message;
          if (r.setting?.isDefault && r.setting.mayBeDefinedElsewhere) {
            severity = 'hint';
            message += ' (unless an optional settings module the analysis cannot see sets it)';
          }
          const override = this.options.severity?.[rule.id];
          if (override && override !== 'off') severity = override;
          findings.push(later({ code: rule.id, severity, message, file: anchor.file, range: anchor.range, djangoChecks: checks, related: r.related }, r.fixes));
        },
      };
      try {
        rule.check(ctx);
      } catch (err) {
        // A rule bug must not take the other rules (or the server) down with it.
        findings.push(internalError(rule, err, profile.module.path, profile.missingAnchor.range));
        own.wholeProfile = true;
      } finally {
        recorder.deps = undefined;
      }
      this.ruleCache.set(key, own, profile, findings);
      for (const f of own.files) read.files.add(f);
      for (const f of own.code) read.code.add(f);
      out.push(...findings);
    }
    return out;
  }

  /**
   * The last findings of each project's rules when every rule's were kept, with what they were
   * valid for: a keystroke in one project of a workspace of several does not look up the rule
   * entries of the others one by one (a thousand-odd on the five real projects).
   */
  private lastProjectRun = new Map<string, { project: DjangoProject; profile: SettingsProfile | undefined; stamp: string; findings: Finding[] }>();

  private runProjectRules(project: DjangoProject, profile: SettingsProfile | undefined, profileOf: (m: SettingsModule) => SettingsProfile): Finding[] {
    const last = this.lastProjectRun.get(project.root);
    // Stale fixes drop their rules' entries (fixesOf), which changes the stamp too.
    if (last && last.project === project && last.profile === profile && last.stamp === this.ruleCache.stamp(project.root)) return last.findings;
    const { findings, allKept } = this.runProjectRulesNow(project, profile, profileOf);
    if (allKept && !this.options.oneShot) this.lastProjectRun.set(project.root, { project, profile, stamp: this.ruleCache.stamp(project.root), findings });
    else this.lastProjectRun.delete(project.root);
    return findings;
  }

  private runProjectRulesNow(project: DjangoProject, profile: SettingsProfile | undefined, profileOf: (m: SettingsModule) => SettingsProfile): { findings: Finding[]; allKept: boolean } {
    const out: Finding[] = [];
    // Whether every rule's findings are kept in the rule cache (some rules read the whole profile
    // and are never kept: a project with one of them is always run rule by rule).
    let allKept = true;
    const shared = new Map<string, { value: unknown; deps: Dependencies }>();
    const files = this.projectFiles(project);
    const silenced = profile?.silencedChecks ?? new Set<string>();
    // Dependencies are recorded into the innermost frame: the running rule's, or a shared model's
    // while it is computed (whoever uses the model inherits what it read). The recording views are
    // the same for every rule, so a shared model that holds one (a profile, an editor) records
    // into whichever rule uses it later, not into the rule that first built it.
    // They also outlive the analysis, for models kept across analyses (`shared` with `persist`).
    const { frames, deps, fs, sources } = this.recorders(project);
    // A one-shot analysis keeps nothing for a next one: what a rule reads need not be recorded.
    const recording = !this.options.oneShot;
    const recordedProfile = profile && recording ? recordingProfile(profile, deps) : profile;
    for (const rule of RULES) {
      if (rule.family !== 'project' || !this.ruleEnabled(rule)) continue;
      const key = `${project.root}\0${rule.id}`;
      const cached = this.ruleCache.get(key, profile);
      if (cached) {
        out.push(...cached);
        continue;
      }
      const own = emptyDependencies();
      frames.length = 0;
      frames.push(own);
      const findings: Finding[] = [];
      const later = this.laterFixes(key, this.isCurrentProfile(profile), (into, compute) => {
        frames.push(into);
        try {
          return compute();
        } finally {
          frames.pop();
        }
      });
      const ctx: ProjectContext = {
        project,
        profile: recordedProfile,
        edit: profile ? new SettingsEditor(profile, sources, this.hostFor(project)) : undefined,
        files,
        fs,
        sources,
        profileOf: (m) => {
          // Another module's profile is made of the code of the files its evaluation read (it is
          // evaluated again when their code changes, not for a comment).
          const p = profileOf(m);
          for (const f of p.filesRead) deps().code.add(f);
          return p;
        },
        mentions: (file, re) => {
          if (!recording) {
            const text = this.fs.readFile(file);
            return text !== undefined && matches(file, text, re);
          }
          const key = `${file}\0${re.source}\0${re.flags}`;
          // Asked again by whoever is recording (a reachability walk replayed): the answer is there.
          const known = deps().facts.get(key);
          if (known) return known.value === 'y';
          const check = () => {
            const text = this.fs.readFile(file);
            return text !== undefined && matches(file, text, re) ? 'y' : 'n';
          };
          const value = check();
          deps().facts.set(key, { file, value, recompute: check });
          return value === 'y';
        },
        imports: (file) => {
          const list = importsOf(this.sources, file);
          if (!recording) return list;
          const recompute = () => JSON.stringify(importsOf(this.sources, file));
          deps().facts.set(`${file}\0imports`, { file, value: JSON.stringify(list), recompute });
          return list;
        },
        derived: (file, name, derive) => {
          if (!recording) {
            const text = this.fs.readFile(file);
            return text === undefined ? undefined : memoByText(`derived:${name}`, file, text, derive);
          }
          const key = `${file}\0derived:${name}`;
          const known = deps().facts.get(key);
          if (known) return known.value === '\0unreadable' ? undefined : known.value;
          const compute = () => {
            const text = this.fs.readFile(file);
            return text === undefined ? undefined : memoByText(`derived:${name}`, file, text, derive);
          };
          const value = compute();
          // Facts compare strings; an unreadable file is a value no derivation returns.
          deps().facts.set(key, { file, value: value ?? '\0unreadable', recompute: () => compute() ?? '\0unreadable' });
          return value;
        },
        recordedIn: () => (recording ? deps() : undefined),
        kept: <T>(name: string, create: () => T): T => {
          let store = this.keptByProject.get(project.root);
          if (!store) this.keptByProject.set(project.root, (store = new Map()));
          if (!store.has(name)) store.set(name, create());
          return store.get(name) as T;
        },
        shared: <T>(name: string, compute: () => T, options?: { persist?: boolean }): T => {
          let entry = shared.get(name);
          // A one-shot analysis has no next analysis to keep anything for, nor to record for.
          if (this.options.oneShot) {
            if (!entry) shared.set(name, (entry = { value: compute(), deps: emptyDependencies() }));
            return entry.value as T;
          }
          const key = `${project.root}\0shared:${name}`;
          if (!entry && options?.persist) {
            const kept = this.ruleCache.getValue(key, profile);
            if (kept) shared.set(name, (entry = kept as { value: unknown; deps: Dependencies }));
          }
          if (!entry) {
            frames.push(emptyDependencies());
            try {
              entry = { value: compute(), deps: frames[frames.length - 1]! };
            } finally {
              frames.pop();
            }
            shared.set(name, entry);
            if (options?.persist) this.ruleCache.setValue(key, entry.deps, profile, entry);
          }
          // A kept value is referred to (its own entry tells whether it still holds), not copied
          // into every user's dependencies: a view index holds hundreds of files and facts.
          if (options?.persist && this.ruleCache.holds(key, entry)) deps().refs.set(key, entry);
          else mergeDependencies(deps(), entry.deps);
          return entry.value as T;
        },
        report: (r) => {
          const checks = r.djangoChecks ?? [];
          if (checks.length > 0 && checks.every((c) => silenced.has(c))) return;
          const override = this.options.severity?.[rule.id];
          const severity = override && override !== 'off' ? override : (r.severity ?? rule.defaultSeverity);
          findings.push(later({ code: rule.id, severity, message: r.message, file: r.file, range: r.range, djangoChecks: checks, related: r.related }, r.fixes));
        },
      };
      try {
        rule.check(ctx);
        this.ruleCache.set(key, own, profile, findings);
        if (!this.ruleCache.holds(key, findings)) allKept = false;
      } catch (err) {
        allKept = false;
        findings.push(internalError(rule, err, project.managePy ?? project.production?.path ?? project.root, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }));
      }
      out.push(...findings);
    }
    frames.length = 0;
    return { findings: out, allKept };
  }

  /**
   * Makes the findings of one rule run: fixes reported as a function are computed on first read
   * (laterFixes.ts), with `record` running it on the rule's recording views.
   */
  private laterFixes(ruleKey: string, basedOnCurrent: () => boolean, record: (into: Dependencies, compute: () => Fix[]) => Fix[]) {
    const mark = this.ruleCache.mark();
    const recordFiles = (compute: () => Fix[]) => {
      const into = emptyDependencies();
      const fixes = record(into, compute);
      const files = new Set([...into.files, ...into.code]);
      for (const f of into.facts.values()) files.add(f.file);
      for (const key of into.refs.keys()) this.ruleCache.filesOf(key, files);
      return { fixes, files };
    };
    return (finding: Omit<Finding, 'fixes'>, fixes: FixesOnRequest | undefined): Finding =>
      typeof fixes === 'function'
        ? withFixesOnRequest(finding, { owner: this, compute: fixes, ruleKey, mark, basedOnCurrent, record: recordFiles })
        : Object.assign(finding, { fixes: fixes ?? [] });
  }

  /** Errors thrown by fix functions (the finding then offers no fix); for logs and tests. */
  readonly fixErrors: { code: string; message: string }[] = [];
  /** Set while `analyze` runs: fixes read then (a one-shot analysis) must not start another. */
  private analyzing = false;

  /** FixOwner: a finding's fixes, computed now if they were not, from current files. */
  fixesOf(finding: Finding, later: LaterFixes): Fix[] {
    if (later.replacedBy) return later.replacedBy.fixes;
    // Edits not analysed yet: the profiles the check below compares with are those of the last analysis.
    if (!this.result && !this.analyzing) this.analyze();
    const stale = (l: LaterFixes) => !l.basedOnCurrent() || (l.computed !== undefined && this.ruleCache.changedSince(l.mark, l.computed.files));
    if (!stale(later) && !later.computed) {
      try {
        later.computed = later.record(later.compute);
      } catch (err) {
        // A bug in a fix must not take the finding (or the code actions around it) down.
        later.computed = { fixes: [], files: new Set() };
        if (this.fixErrors.length < 100) this.fixErrors.push({ code: finding.code, message: (err as Error).message });
      }
    }
    if (!stale(later)) return later.computed!.fixes;
    // What the rule saw changed since it ran: run it again on the current files, once for every
    // finding known to be stale.
    if (this.analyzing) return [];
    const stales = new Map<Finding, LaterFixes>([[finding, later]]);
    for (const f of this.result?.value.findings ?? []) {
      const other = laterFixesOf(f);
      if (other && !other.replacedBy && stale(other)) stales.set(f, other);
    }
    for (const l of stales.values()) this.ruleCache.delete(l.ruleKey);
    this.findingsEpoch++;
    this.result = undefined;
    const fresh = new Map<string, Finding>();
    for (const f of this.analyze().findings) fresh.set(findingKey(f), f);
    for (const [f, l] of stales) {
      const match = fresh.get(findingKey(f));
      if (match && match !== f) l.replacedBy = match;
    }
    // (Set in the loop above: TypeScript still holds it to the undefined it checked at the top.)
    const replaced = later.replacedBy as Finding | undefined;
    return replaced ? replaced.fixes : [];
  }

  /** Whether `profile` is still the one the analysis uses for its module (none: always). */
  private isCurrentProfile(profile: SettingsProfile | undefined): () => boolean {
    if (!profile) return () => true;
    const key = `${profile.project.root}\0${profile.module.path}`;
    return () => this.profileCache.get(key)?.profile === profile;
  }

  private hosts = new Map<string, ProjectModuleHost>();

  /**
   * A project's module host, kept across analyses: modules evaluated from a clean start stay
   * cached until a file their evaluation read changes, so a keystroke in one settings module does
   * not evaluate again the helper modules the settings import.
   */
  private hostFor(project: DjangoProject): ProjectModuleHost {
    const key = `${project.root}\0${project.importRoots.join('\0')}`;
    let host = this.hosts.get(key);
    if (!host) {
      host = new ProjectModuleHost(this.sources, project.importRoots);
      host.stamp = (files) => this.ruleCache.codeSnapshot(files);
      host.isCurrent = (stamp) => this.ruleCache.isCodeCurrent(stamp as ReturnType<RuleResultCache['codeSnapshot']>);
      this.hosts.set(key, host);
    }
    return host;
  }

  private projectRecorders = new Map<string, { frames: Dependencies[]; deps: () => Dependencies; fs: FileSystem; sources: PythonSources }>();

  /**
   * A project's recording views of the file system and the parsed sources: one set for the
   * analyzer's life, recording into the frame of whichever rule (or shared model) runs.
   */
  private recorders(project: DjangoProject) {
    let r = this.projectRecorders.get(project.root);
    if (!r) {
      const frames: Dependencies[] = [];
      const deps = () => frames[frames.length - 1] ?? emptyDependencies();
      // Nothing to record for a one-shot analysis (runProjectRules): the files and sources as they are.
      const fs = this.options.oneShot ? this.fs : recordingFs(this.fs, deps);
      r = { frames, deps, fs, sources: this.options.oneShot ? this.sources : recordingSources(this.sources, fs, deps) };
      this.projectRecorders.set(project.root, r);
    }
    return r;
  }

  /** Findings located in one file. */
  findingsFor(path: string): Finding[] {
    return this.analyze().findings.filter((f) => f.file === path);
  }

  /**
   * Applies every preferred safe fix, re-analyses and repeats until nothing changes (a fix can
   * enable another, as Ruff does), then returns the new contents of the files it changed.
   * Nothing is written: the caller decides (the CLI writes, the server sends a WorkspaceEdit).
   */
  fixAll(maxPasses = 5, filter: (f: Finding) => boolean = () => true): Map<string, string> {
    const changed = new Map<string, string>();
    for (let pass = 0; pass < maxPasses; pass++) {
      const preferred = this.analyze()
        .findings.filter(filter)
        .map((f) => f.fixes.find((x) => x.safe))
        .filter((x): x is NonNullable<typeof x> => !!x);
      const fixes = compatibleFixes(preferred);
      if (fixes.length === 0) break;
      let progressed = false;
      for (const [file, edits] of editsByFile(fixes)) {
        // A fix may create a file (a requirements.txt the project did not have): the workspace
        // listing and the project model must then see it before the next pass.
        const existing = this.fs.readFile(file);
        if (existing === undefined) {
          this.files = undefined;
          this.forgetProjects();
    this.ruleCache.invalidateAll();
        }
        const before = existing ?? '';
        const after = applyEdits(before, edits).text;
        if (after === before) continue;
        changed.set(file, after);
        this.setDocument(file, after);
        progressed = true;
      }
      if (!progressed) break;
    }
    return changed;
  }

  /**
   * `fixAll` without side effects: the same new contents, after which every file it touched is put
   * back as it was (an open buffer to its text, any other file to the disk). The language server
   * offers the result as an edit the client may still decline, so the analyzer must not believe
   * the fixes were made.
   */
  previewFixAll(maxPasses = 5, filter: (f: Finding) => boolean = () => true): Map<string, string> {
    const overlays = new Map(this.fs.overlays);
    try {
      return this.fixAll(maxPasses, filter);
    } finally {
      // fixAll writes only through setDocument, so the overlays tell which files it touched.
      for (const [file, text] of [...this.fs.overlays]) {
        const previous = overlays.get(file);
        if (previous === text) continue;
        if (previous !== undefined) this.setDocument(file, previous);
        else this.closeDocument(file);
      }
    }
  }

  dispose(): void {
    this.stopParseAhead();
    this.sources.dispose();
    this.pool.dispose();
  }
}

/** Do two evaluations of a module give the very same bindings, notes, environment and anchor? */
function sameProfile(a: SettingsProfile, b: SettingsProfile): boolean {
  if (a.scope.size !== b.scope.size || a.notes.length !== b.notes.length || a.processEnv.size !== b.processEnv.size) return false;
  for (const [name, binding] of b.scope) if (a.scope.get(name) !== binding) return false;
  for (let i = 0; i < a.notes.length; i++) {
    const m = a.notes[i]!;
    const n = b.notes[i]!;
    if (m !== n && (m.kind !== n.kind || m.message !== n.message || !sameLocation(m.location, n.location))) return false;
  }
  for (const [name, value] of b.processEnv) if (a.processEnv.get(name) !== value) return false;
  if (a.filesRead.size !== b.filesRead.size || [...b.filesRead].some((f) => !a.filesRead.has(f))) return false;
  return a.anchorAfterImports === b.anchorAfterImports || (!!a.anchorAfterImports && !!b.anchorAfterImports && sameLocation(a.anchorAfterImports, b.anchorAfterImports));
}

function sameLocation(x: { file: string; range: Finding['range'] }, y: { file: string; range: Finding['range'] }): boolean {
  return x.file === y.file && x.range.start.line === y.range.start.line && x.range.start.character === y.range.start.character && x.range.end.line === y.range.end.line && x.range.end.character === y.range.end.character;
}

/** A module's code: its top-level statements (comments left out), their places (4 numbers each) and texts. */
interface CodeSignature {
  nodes: SyntaxNode[];
  places: number[];
  texts: string[];
}

/** Each statement node's text, sliced once (a node keeps its text while it is in its tree). */
const statementTexts = new WeakMap<SyntaxNode, string>();

/**
 * The same finding reported twice (a URLconf reached through both branches of an `if`): one
 * diagnostic is enough. `sorted` has equal findings next to each other or a few apart.
 */
/** Identity of a finding for deduplication, per finding object (most are reused between analyses). */
const findingKeys = new WeakMap<Finding, string>();

function findingKey(f: Finding): string {
  let key = findingKeys.get(f);
  if (key === undefined) {
    const r = f.range;
    findingKeys.set(f, (key = `${f.file}\0${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}\0${f.code}\0${f.message}`));
  }
  return key;
}

function withoutDuplicates(sorted: Finding[]): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const f of sorted) {
    const key = findingKey(f);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(f);
  }
  return out;
}

/**
 * Code-unit order: the same in every locale, and free (the first localeCompare sets up an ICU
 * collator, 10-20 ms on the way to the first diagnostics).
 */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A rule that throws is reported as a hint instead of taking the other rules (or the server) down. */
function internalError(rule: Rule, err: unknown, file: string, range: Finding['range']): Finding {
  return { code: rule.id, severity: 'hint', message: `internal error in ${rule.id}: ${(err as Error).message}`, file, range, djangoChecks: [], fixes: [] };
}

/** Whether a user's exclude patterns (workspace-relative globs) leave `path` out. */
function excluded(patterns: RegExp[], root: string, path: string): boolean {
  if (patterns.length === 0) return false;
  const rel = relativePosix(root, path);
  return patterns.some((re) => re.test(rel));
}

/**
 * The files of each project, in workspace order: a file belongs to the deepest project whose root
 * contains it (not to a project a sample project in its tests folder is nested in). One pass over
 * the workspace for all projects, with each root's prefix made once.
 */
function filesByProject(all: string[], projects: DjangoProject[]): Map<DjangoProject, string[]> {
  const byProject = new Map<DjangoProject, string[]>(projects.map((p) => [p, []]));
  const deepestFirst = [...projects].sort((a, b) => b.root.length - a.root.length).map((p) => ({ root: p.root, prefix: p.root.endsWith('/') ? p.root : p.root + '/', files: byProject.get(p)! }));
  for (const file of all) {
    for (const p of deepestFirst) {
      if (file === p.root || file.startsWith(p.prefix)) {
        p.files.push(file);
        break;
      }
    }
  }
  return byProject;
}

/**
 * Where a finding about a setting goes (spec §c.4): the env default argument when the value is a
 * fallback, else the assigned expression, else (never assigned) after the production imports.
 */
function settingAnchor(profile: SettingsProfile, setting: ReturnType<SettingsProfile['setting']>) {
  const v = setting.value;
  if (v.env?.fallback) return v.env.fallback;
  if (setting.binding?.rhs) return setting.binding.rhs;
  if (setting.binding?.stmt) return setting.binding.stmt;
  return profile.missingAnchor;
}

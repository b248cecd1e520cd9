// The language server: a thin LSP adapter over the engine's Analyzer (one per workspace folder).
// It forwards document and file events, runs the analysis (debounced), pushes diagnostics for every
// file with findings (open or not), and turns the fixes carried in diagnostics into code actions.
// Started by the VS Code client over IPC (`--node-ipc`) or by the tests over `--stdio`.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type {
  CodeAction,
  CodeActionParams,
  Connection,
  Diagnostic,
  DidChangeWatchedFilesParams,
  ExecuteCommandParams,
  InitializeParams,
  InitializeResult,
  TextDocumentContentChangeEvent,
  WorkspaceEdit,
  WorkspaceFolder,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { type AnalysisResult, Analyzer } from './engine/analyzer';
import { MANUAL_FILE } from './engine/checklist/manualFile';
import { buildChecklist, type Checklist } from './engine/checklist/model';
import { checklistJson, checklistMarkdown } from './engine/checklist/report';
import { grammarBuild, loadLanguage } from './engine/parsing/grammars';
import { ParseCache } from './engine/parsing/parseCache';
import { replacementEdit } from './engine/fixes/textDiff';
import type { ContentChange } from './engine/parsing/documents';
import type { Finding, Range, TextEdit } from './engine/types';
import type { FileSystem } from './engine/workspace';
import { isManualFile, manualFileText, projectChecklist, todayIso } from './lsp/checklist';
import { cacheDir, codeCacheHook } from './lsp/codeCache';
import { quickFixActions, toWorkspaceEdit, wantsKind, type EditContext } from './lsp/codeActions';
import { diagnosticMessage, toDiagnostic } from './lsp/diagnostics';
import { DEFAULT_SETTINGS, type FolderSettings, parseSettings, sameAnalysis, toAnalyzerOptions } from './lsp/settings';
import { consoleToClient, stdioTransport } from './lsp/transport';
import { isUnder, pathToUri, uriToPath } from './lsp/uris';
import {
  CHECKLIST_CHANGED_NOTIFICATION,
  CHECKLIST_REQUEST,
  type ChecklistChangedParams,
  type ChecklistParams,
  type ChecklistResult,
  CONFIG_SECTION,
  Commands,
  FIX_ALL_KIND,
  FIX_ITEM_REQUEST,
  type FixItemParams,
  type FixItemResult,
  type ProjectChecklist,
  REPORT_REQUEST,
  type ReportParams,
  type ReportResult,
  SERVER_COMMANDS,
  SET_MANUAL_ITEM_REQUEST,
  type SetManualItemParams,
  type SetManualItemResult,
  SOURCE,
  STATUS_NOTIFICATION,
  type StatusParams,
} from './protocol';

// A plain require: an ES import of this CommonJS package makes the bundle copy its several hundred
// exports into a namespace object at start-up (about 8 ms before the first diagnostics).
const {
  CodeActionKind,
  createConnection,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  NotificationType,
  ProposedFeatures,
  RequestType,
  TextDocuments,
  TextDocumentSyncKind,
} = require('vscode-languageserver/node') as typeof import('vscode-languageserver/node');
type MessageReader = import('vscode-languageserver/node').MessageReader;

const WATCHED_GLOBS = ['**/*.py', '**/requirements*.txt', '**/Dockerfile*', '**/*compose*.y*ml', '**/.env*', '**/pyproject.toml', `**/${MANUAL_FILE}`];
const StatusNotification = new NotificationType<StatusParams>(STATUS_NOTIFICATION);
const ChecklistChangedNotification = new NotificationType<ChecklistChangedParams>(CHECKLIST_CHANGED_NOTIFICATION);
const ChecklistRequest = new RequestType<ChecklistParams | null | undefined, ChecklistResult, void>(CHECKLIST_REQUEST);
const SetManualItemRequest = new RequestType<SetManualItemParams, SetManualItemResult, void>(SET_MANUAL_ITEM_REQUEST);
const FixItemRequest = new RequestType<FixItemParams, FixItemResult, void>(FIX_ITEM_REQUEST);
const ReportRequest = new RequestType<ReportParams, ReportResult, void>(REPORT_REQUEST);

/** One project's checklist in the engine's model, with the folder whose analyzer produced it. */
interface ProjectList {
  folder: Folder;
  list: Checklist;
}

interface Folder {
  uri: string;
  name: string;
  root: string;
  settings: FolderSettings;
  analyzer?: Analyzer;
  /** Bumped when the folder's analyzer is (re)created or the folder removed; stale creations give up. */
  epoch: number;
  removed: boolean;
  /** Diagnostics per file from the folder's last analysis. */
  current: Map<string, Diagnostic[]>;
  /** The analysis those diagnostics came from: the checklist is built from it, never re-analysed. */
  result?: AnalysisResult;
  timer?: NodeJS.Timeout;
  /** Paths whose diagnostics must be republished by the next run even if unchanged (new version). */
  pending: Set<string>;
}

function sameObjects<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

interface Published {
  uri: string;
  /** The diagnostics sent; their JSON (`key`) is made only when they are compared with different objects. */
  diagnostics: Diagnostic[];
  key?: string;
  count: number;
}

export class DjangoReadinessServer {
  private readonly documents: import('vscode-languageserver/node').TextDocuments<TextDocument>;
  /** The content changes of the didChange being processed (TextDocuments only hands out the result). */
  private lastChanges: { uri: string; changes: TextDocumentContentChangeEvent[] } | undefined;
  private folders: Folder[] = [];
  private readonly published = new Map<string, Published>();
  /** Path → URI of the open documents (the client's spelling of the URI is kept). */
  private readonly openUris = new Map<string, string>();
  private lastAnalysisMs = 0;
  private caps = { configuration: false, watchedFiles: false, workspaceFolders: false, documentChanges: false, createFiles: false };
  private shuttingDown = false;
  /** Set by the first checklist request: only then are checklists recomputed after each round. */
  private checklistWanted = false;
  /** Folder URI → hash of the checklist JSON the client last got (or was told about). */
  private readonly checklistHashes = new Map<string, string>();
  /** Set once an analysis of a Django project has been published (startup log, code cache). */
  private warmedUp = false;
  /** When (ms since the process started) the first settings round was published, if one ran. */
  private settingsRoundAt: number | undefined;
  /** Analyzers whose parse cache is about to be written (after their first full analysis). */
  private readonly parseCacheClosing = new WeakSet<Analyzer>();

  constructor(private readonly connection: Connection) {
    this.documents = new TextDocuments<TextDocument>({
      create: (uri, languageId, version, content) => TextDocument.create(uri, languageId, version, content),
      update: (document, changes, version) => {
        this.lastChanges = { uri: document.uri, changes };
        return TextDocument.update(document, changes, version);
      },
    });
    connection.onInitialize((params) => this.initialize(params));
    connection.onInitialized(() => this.guardAsync('initialized', () => this.initialized()));
    this.documents.onDidOpen((e) => {
      const path = uriToPath(e.document.uri);
      if (path) this.openUris.set(path, e.document.uri);
    });
    this.documents.onDidChangeContent((e) => this.guard('didChange', () => this.contentChanged(e.document)));
    this.documents.onDidSave((e) => this.guard('didSave', () => this.saved(e.document)));
    this.documents.onDidClose((e) => this.guard('didClose', () => this.closed(e.document)));
    connection.onDidChangeConfiguration((p) => this.guardAsync('didChangeConfiguration', () => this.configurationChanged(p.settings)));
    connection.onDidChangeWatchedFiles((p) => this.guard('didChangeWatchedFiles', () => this.watchedFilesChanged(p)));
    connection.onCodeAction((p) => this.guard('codeAction', () => this.codeActions(p)) ?? []);
    connection.onExecuteCommand((p) => this.guardAsync('executeCommand', () => this.executeCommand(p)));
    connection.onRequest(ChecklistRequest, (p) => this.guard('checklist', () => this.checklistRequest(p ?? {})) ?? { checklists: [], ready: false });
    connection.onRequest(SetManualItemRequest, async (p) => (await this.guardAsync('setManualItem', () => this.setManualItem(p))) ?? { applied: false, changed: false, uri: '', reason: 'internal error (see the output)' });
    connection.onRequest(FixItemRequest, async (p) => (await this.guardAsync('fixItem', () => this.fixItem(p))) ?? { applied: false, files: 0, reason: 'internal error (see the output)' });
    connection.onRequest(ReportRequest, (p) => this.guard('report', () => this.report(p)) ?? { format: p.format, content: '' });
    connection.onShutdown(() => this.shutdown());
    this.documents.listen(connection);
  }

  // ------------------------------------------------------------------ plumbing

  private log(message: string): void {
    this.connection.console.log(message);
  }

  private error(where: string, err: unknown): void {
    const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
    try {
      this.connection.console.error(`django-readiness: ${where} failed: ${text}`);
    } catch {
      // The connection itself is gone; nothing left to tell.
    }
  }

  /** Runs a handler; an exception is logged and never reaches the connection (or kills us). */
  private guard<T>(where: string, fn: () => T): T | undefined {
    try {
      return fn();
    } catch (err) {
      this.error(where, err);
      return undefined;
    }
  }

  private async guardAsync<T>(where: string, fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (err) {
      this.error(where, err);
      return undefined;
    }
  }

  private openDocument(path: string): TextDocument | undefined {
    const uri = this.openUris.get(path);
    return uri === undefined ? undefined : this.documents.get(uri);
  }

  private uriOf(path: string): string {
    return this.openDocument(path)?.uri ?? this.published.get(path)?.uri ?? pathToUri(path);
  }

  private versionOf(path: string): number | undefined {
    return this.openDocument(path)?.version;
  }

  private get editContext(): EditContext {
    return {
      uriOf: (p) => this.uriOf(p),
      versionOf: (p) => this.versionOf(p) ?? null,
      documentChanges: this.caps.documentChanges,
      createFiles: this.caps.createFiles,
      exists: (p) => this.ownerOf(p)?.analyzer?.fs.isFile(p) ?? existsSync(p),
    };
  }

  /** Every folder whose tree holds the path (nested folders both see it). */
  private foldersOf(path: string): Folder[] {
    return this.folders.filter((f) => isUnder(path, f.root));
  }

  /** The innermost folder holding the path: the one whose project a document belongs to. */
  private ownerOf(path: string): Folder | undefined {
    let best: Folder | undefined;
    for (const f of this.foldersOf(path)) if (!best || f.root.length > best.root.length) best = f;
    return best;
  }

  // ------------------------------------------------------------------ lifecycle

  private initialize(params: InitializeParams): InitializeResult {
    const c = params.capabilities;
    this.caps = {
      configuration: !!c.workspace?.configuration,
      watchedFiles: !!c.workspace?.didChangeWatchedFiles?.dynamicRegistration,
      workspaceFolders: !!c.workspace?.workspaceFolders,
      documentChanges: !!c.workspace?.workspaceEdit?.documentChanges,
      createFiles: !!c.workspace?.workspaceEdit?.resourceOperations?.includes('create'),
    };
    const folders: WorkspaceFolder[] = params.workspaceFolders ?? [];
    if (folders.length === 0 && params.rootUri) folders.push({ uri: params.rootUri, name: params.rootUri });
    if (folders.length === 0 && params.rootPath) folders.push({ uri: pathToUri(params.rootPath), name: params.rootPath });
    for (const wf of folders) this.addFolder(wf);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
        executeCommandProvider: { commands: [...SERVER_COMMANDS] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: SOURCE, version: '0.1.0' },
    };
  }

  private addFolder(wf: WorkspaceFolder): Folder | undefined {
    const root = uriToPath(wf.uri);
    if (!root) {
      this.log(`django-readiness: skipping workspace folder ${wf.uri} (not a file: URI)`);
      return undefined;
    }
    const folder: Folder = { uri: wf.uri, name: wf.name, root, settings: { ...DEFAULT_SETTINGS }, epoch: 0, removed: false, current: new Map(), pending: new Set() };
    this.folders.push(folder);
    return folder;
  }

  private async initialized(): Promise<void> {
    // Registering the watchers is a round trip to the client: the folders start meanwhile.
    const registering = this.caps.watchedFiles
      ? this.guardAsync('register file watchers', () =>
          this.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: WATCHED_GLOBS.map((globPattern) => ({ globPattern })) }),
        )
      : Promise.resolve(undefined);
    if (this.caps.workspaceFolders) {
      this.connection.workspace.onDidChangeWorkspaceFolders((e) =>
        this.guardAsync('didChangeWorkspaceFolders', async () => {
          for (const removed of e.removed) {
            for (const f of this.folders.filter((x) => x.uri === removed.uri)) this.removeFolder(f);
          }
          const added = e.added.map((wf) => this.addFolder(wf)).filter((f): f is Folder => !!f);
          await Promise.all(added.map((f) => this.startFolder(f)));
        }),
      );
    }
    await Promise.all([registering, ...this.folders.map((f) => this.startFolder(f))]);
  }

  private removeFolder(folder: Folder): void {
    folder.removed = true;
    folder.epoch++;
    if (folder.timer) clearTimeout(folder.timer);
    if (folder.analyzer) this.disposeAnalyzer(folder.analyzer);
    folder.analyzer = undefined;
    folder.current = new Map();
    folder.result = undefined;
    this.folders = this.folders.filter((f) => f !== folder);
    this.publish(new Set());
  }

  private async fetchSettings(folder: Folder): Promise<FolderSettings> {
    if (!this.caps.configuration) return folder.settings;
    try {
      const raw: unknown = await this.connection.workspace.getConfiguration({ scopeUri: folder.uri, section: CONFIG_SECTION });
      return parseSettings(raw, (m) => this.log(`django-readiness: ${folder.name}: ${m}`));
    } catch (err) {
      this.log(`django-readiness: ${folder.name}: could not read the configuration (${err instanceof Error ? err.message : String(err)}); using the defaults`);
      return { ...DEFAULT_SETTINGS };
    }
  }

  /** Creates (or recreates) a folder's analyzer, feeds it the open buffers and publishes its findings. */
  private async startFolder(folder: Folder, republishAll = false): Promise<void> {
    const epoch = ++folder.epoch;
    if (folder.timer) clearTimeout(folder.timer);
    folder.timer = undefined;
    const old = folder.analyzer;
    folder.analyzer = undefined;
    folder.result = undefined;
    if (old) this.disposeAnalyzer(old);
    // The configuration is a round trip to the client; the analyzer (the grammar) loads meanwhile
    // and takes the folder's options once they arrive, before it has analysed anything.
    const [settings, analyzer] = await Promise.all([this.fetchSettings(folder), Analyzer.create(folder.root)]);
    folder.settings = settings;
    analyzer.setOptions(toAnalyzerOptions(folder.settings));
    if (folder.epoch !== epoch || folder.removed || this.shuttingDown) {
      analyzer.dispose();
      return;
    }
    analyzer.sources.cache = this.openParseCache(folder.root);
    // Buffers opened or edited while the analyzer was being created: take their current text.
    const open: string[] = [];
    for (const doc of this.documents.all()) {
      const path = uriToPath(doc.uri);
      if (!path || !isUnder(path, folder.root) || isManualFile(path)) continue;
      analyzer.setDocument(path, doc.getText());
      open.push(path);
    }
    folder.analyzer = analyzer;
    let t0 = performance.now();
    const projects = this.guard('project discovery', () => analyzer.projects()) ?? [];
    for (const p of projects) {
      this.log(`django-readiness: ${folder.name}: project at ${p.root}: ${p.production ? `production settings ${p.production.moduleName} (${p.productionReason})` : `no production settings (${p.productionReason})`}; Django ${p.djangoVersion.major}.${p.djangoVersion.minor} (${p.djangoVersion.source})`);
    }
    // Nothing of this folder shown yet: the settings findings go out first, then the full analysis.
    const fresh = ![...this.published.keys()].some((p) => isUnder(p, folder.root));
    if (!republishAll && fresh && projects.some((p) => p.production) && folder.settings.enable && !analyzer.options.select?.length) {
      const sent = this.guard('settings round', () => this.settingsRound(folder, analyzer)) ?? [];
      // Once the client has them (the connection writes asynchronously), the full analysis runs.
      await Promise.all(sent.map((p) => p.catch(() => undefined)));
      if (folder.epoch !== epoch || folder.removed || this.shuttingDown) return;
      t0 = performance.now();
    }
    this.run(folder, new Set(open), t0, republishAll);
  }

  /**
   * The quick first round of a folder's first analysis: only the settings rules, which need the
   * production settings evaluated but none of the project-wide work (views, requirements, deployment
   * files), so the diagnostics of the settings modules show about twice as fast at startup. The full
   * analysis follows at once and publishes the complete set (a superset: a settings rule finds the same
   * with or without the project rules). No status or checklist is sent for this round and the folder
   * keeps no result from it, so the status bar and the checklist only ever show complete analyses.
   */
  private settingsRound(folder: Folder, analyzer: Analyzer): Promise<void>[] {
    const findings: Finding[] = analyzer.analyze({ settingsOnly: true }).findings;
    folder.current = this.diagnosticsOf(findings);
    this.settingsRoundAt ??= performance.now();
    return this.publish(new Set(), true);
  }

  private shutdown(): void {
    this.shuttingDown = true;
    // A short-lived server (a test, a quick restart) still leaves its cache for the next start; a
    // partial one if only the settings round ran (the next full analysis completes it).
    if (this.warmedUp || this.settingsRoundAt !== undefined) this.guard('code cache', () => this.saveCodeCache(this.warmedUp));
    for (const f of this.folders) {
      if (f.timer) clearTimeout(f.timer);
      f.epoch++;
      if (f.analyzer) this.disposeAnalyzer(f.analyzer);
      f.analyzer = undefined;
    }
  }

  /**
   * The trees of the folder's modules kept by earlier starts (and by the CLI when it shares the
   * cache folder), for the first analyses: startup parses the modules the view index needs, the
   * longest part of the first full analysis of a large workspace. Closed (written, if anything was
   * parsed) a moment after the first full analysis, or with the analyzer.
   */
  private openParseCache(root: string): ParseCache | undefined {
    const dir = cacheDir();
    if (!dir) return undefined;
    try {
      return ParseCache.open(dir, root, grammarBuild('python'));
    } catch (err) {
      this.log(`django-readiness: no parse cache (${err instanceof Error ? err.message : String(err)})`);
      return undefined;
    }
  }

  private closeParseCache(analyzer: Analyzer): void {
    const cache = analyzer.sources.cache;
    if (!cache) return;
    analyzer.sources.cache = undefined;
    cache.close();
    const { hits, misses, refused } = cache.counts;
    this.log(`django-readiness: parse cache of ${analyzer.root}: ${hits} trees read, ${misses} modules parsed${refused ? `, ${refused} entries refused` : ''}`);
  }

  private disposeAnalyzer(analyzer: Analyzer): void {
    this.guard('parse cache', () => this.closeParseCache(analyzer));
    analyzer.dispose();
  }

  // ------------------------------------------------------------------ analysis and publishing

  /** Analyses a folder now or after its debounce delay; `trigger` is republished either way. */
  private schedule(folder: Folder, trigger: string | undefined, immediate = false): void {
    if (trigger) folder.pending.add(trigger);
    if (folder.timer) clearTimeout(folder.timer);
    folder.timer = undefined;
    const delay = immediate ? 0 : folder.settings.debounceMs;
    if (delay <= 0) {
      this.run(folder, undefined);
      return;
    }
    folder.timer = setTimeout(() => this.run(folder, undefined), delay);
  }

  /** `republishAll`: send every file of the folder, changed or not (after a reanalyze). */
  private run(folder: Folder, extraTriggers: Set<string> | undefined, started = performance.now(), republishAll = false): void {
    folder.timer = undefined;
    const triggers = new Set([...folder.pending, ...(extraTriggers ?? [])]);
    folder.pending.clear();
    this.guard(`analysis of ${folder.name}`, () => this.analyzeFolder(folder));
    this.lastAnalysisMs = performance.now() - started;
    if (republishAll) {
      for (const p of folder.current.keys()) triggers.add(p);
      for (const p of this.published.keys()) if (isUnder(p, folder.root)) triggers.add(p);
    }
    this.guard('publishDiagnostics', () => this.publish(triggers));
    const analyzer = folder.analyzer;
    if (analyzer?.sources.cache && folder.result && !this.parseCacheClosing.has(analyzer)) {
      // The first full analysis is in: the pack is written once the diagnostics have gone out.
      this.parseCacheClosing.add(analyzer);
      setTimeout(() => this.guard('parse cache', () => this.closeParseCache(analyzer)), 1000).unref();
    }
    if (!this.warmedUp && (folder.result?.projects.length ?? 0) > 0) this.guard('startup', () => this.firstProjectPublished());
  }

  /**
   * After the first full analysis of a Django project: logs how long the start took and, a moment
   * later (the diagnostics go out first), has the loader write the V8 code cache, which then holds
   * the functions that analysis compiled (lsp/codeCache.ts). A start that never analyses a project
   * writes no cache: it would lack them.
   */
  private firstProjectPublished(): void {
    this.warmedUp = true;
    const hook = codeCacheHook();
    const first = this.settingsRoundAt === undefined ? '' : `settings diagnostics ${Math.round(this.settingsRoundAt)} ms, `;
    const cache = !hook ? 'not used' : hook.state === 'hit' && !hook.complete ? 'hit, partial' : hook.state;
    this.log(`django-readiness: ${first}all diagnostics ${Math.round(performance.now())} ms after the server process started (code cache: ${cache})`);
    if (hook) setTimeout(() => this.guard('code cache', () => this.saveCodeCache(true)), 1000).unref();
  }

  private saveCodeCache(complete: boolean): void {
    const outcome = codeCacheHook()?.save(complete);
    if (outcome) this.log(`django-readiness: code cache ${outcome}`);
  }

  private analyzeFolder(folder: Folder): void {
    const analyzer = folder.analyzer;
    if (!analyzer) return;
    if (!folder.settings.enable) {
      folder.current = new Map();
      folder.result = undefined;
      return;
    }
    const result = analyzer.analyze();
    folder.result = result;
    folder.current = this.diagnosticsOf(result.findings);
  }

  /**
   * Diagnostics made per finding object, with what they were made from: a rule whose findings the
   * analyzer reused hands back the same objects, and so are their diagnostics (and their JSON,
   * which `publish` compares).
   */
  private readonly madeDiagnostics = new WeakMap<Finding, { stamp: string; diagnostic: Diagnostic }>();
  /** The JSON of each diagnostic, for telling whether a file's diagnostics changed. */
  private readonly diagnosticKeys = new WeakMap<Diagnostic, string>();

  private diagnosticsOf(findings: Finding[]): Map<string, Diagnostic[]> {
    const ctx = { uriOf: (p: string) => this.uriOf(p) };
    const next = new Map<string, Diagnostic[]>();
    for (const f of findings) {
      // What toDiagnostic reads besides the finding: the URIs of its related locations.
      let stamp = '';
      for (const r of f.related ?? []) stamp += `${ctx.uriOf(r.location.file)},`;
      let made = this.madeDiagnostics.get(f);
      if (made?.stamp !== stamp) this.madeDiagnostics.set(f, (made = { stamp, diagnostic: toDiagnostic(f, ctx) }));
      const list = next.get(f.file) ?? [];
      list.push(made.diagnostic);
      next.set(f.file, list);
    }
    return next;
  }

  private diagnosticKey(d: Diagnostic): string {
    let key = this.diagnosticKeys.get(d);
    if (key === undefined) this.diagnosticKeys.set(d, (key = JSON.stringify(d)));
    return key;
  }

  /**
   * Sends the diagnostics of every file whose diagnostics changed since they were last sent, `[]`
   * for files that no longer have any, and the current ones of `triggers` (edited documents, for
   * their new version) in any case; then the status notification (not after a `partial` round).
   * Returns the sends, which settle once each message is written.
   */
  private publish(triggers: Set<string>, partial = false): Promise<void>[] {
    const sent: Promise<void>[] = [];
    const paths = new Set<string>(this.published.keys());
    for (const f of this.folders) for (const p of f.current.keys()) paths.add(p);
    for (const p of triggers) if (this.foldersOf(p).length > 0) paths.add(p);
    const keyOf = (list: Diagnostic[]) => list.map((d) => this.diagnosticKey(d)).join('\n');
    for (const path of [...paths].sort()) {
      const diagnostics = this.folders.flatMap((f) => f.current.get(path) ?? []);
      const previous = this.published.get(path);
      if (!triggers.has(path)) {
        // The same diagnostic objects (their findings reused by the analysis) need no JSON to compare.
        if (!previous ? diagnostics.length === 0 : sameObjects(previous.diagnostics, diagnostics) || (previous.key ??= keyOf(previous.diagnostics)) === keyOf(diagnostics)) continue;
      }
      const doc = this.openDocument(path);
      const uri = doc?.uri ?? previous?.uri ?? pathToUri(path);
      if (previous && previous.uri !== uri) sent.push(this.connection.sendDiagnostics({ uri: previous.uri, diagnostics: [] }));
      sent.push(this.connection.sendDiagnostics({ uri, version: doc?.version, diagnostics }));
      if (diagnostics.length > 0) this.published.set(path, { uri, diagnostics, count: diagnostics.length });
      else this.published.delete(path);
    }
    if (partial) return sent;
    let findings = 0;
    for (const p of this.published.values()) findings += p.count;
    void this.connection.sendNotification(StatusNotification, { findings, files: this.published.size, analysisMs: Math.round(this.lastAnalysisMs * 10) / 10 });
    this.guard('checklist update', () => this.checklistRound());
    return sent;
  }

  // ------------------------------------------------------------------ documents and files

  private contentChanged(doc: TextDocument): void {
    const changes = this.lastChanges?.uri === doc.uri ? this.lastChanges.changes : undefined;
    this.lastChanges = undefined;
    const path = uriToPath(doc.uri);
    if (!path) return;
    // The manual-items file only feeds the checklist (read from the open buffer): no analysis.
    if (isManualFile(path)) {
      this.checklistRound();
      return;
    }
    for (const folder of this.foldersOf(path)) {
      const analyzer = folder.analyzer;
      // A folder still starting takes the buffer's text when its analyzer is ready.
      if (!analyzer) continue;
      if (changes) {
        this.applyChanges(analyzer, path, changes, doc.getText());
        if (folder.settings.run === 'onType') this.schedule(folder, path);
        else folder.pending.add(path);
      } else {
        // didOpen: the text usually equals the disk's, so this costs a cache lookup.
        analyzer.setDocument(path, doc.getText());
        this.schedule(folder, path, true);
      }
    }
  }

  /**
   * Incremental changes go to the engine's incremental reparse. Should that fail, or leave the
   * parsed text different from the buffer, the full text replaces it: a wrong tree would otherwise
   * stay wrong for every later keystroke.
   */
  private applyChanges(analyzer: Analyzer, path: string, changes: TextDocumentContentChangeEvent[], text: string): void {
    try {
      analyzer.updateDocument(path, changes.map(toContentChange), text);
      if (!analyzer.sources.has(path) || analyzer.sources.get(path)?.text === text) return;
      this.log(`django-readiness: ${path}: incremental update diverged from the buffer; reparsing it in full`);
    } catch (err) {
      this.error(`incremental update of ${path}`, err);
    }
    analyzer.setDocument(path, text);
  }

  private saved(doc: TextDocument): void {
    const path = uriToPath(doc.uri);
    if (!path) return;
    for (const folder of this.foldersOf(path)) {
      if (folder.analyzer && folder.settings.run === 'onSave') this.schedule(folder, path, true);
    }
  }

  private closed(doc: TextDocument): void {
    const path = uriToPath(doc.uri);
    if (!path) return;
    if (this.openUris.get(path) === doc.uri) this.openUris.delete(path);
    if (isManualFile(path)) {
      this.checklistRound();
      return;
    }
    for (const folder of this.foldersOf(path)) {
      if (!folder.analyzer) continue;
      folder.analyzer.closeDocument(path);
      this.schedule(folder, path, true);
    }
  }

  private watchedFilesChanged(params: DidChangeWatchedFilesParams): void {
    const byFolder = new Map<Folder, { path: string; kind: 'created' | 'changed' | 'deleted' }[]>();
    let manual = false;
    for (const change of params.changes) {
      const path = uriToPath(change.uri);
      if (!path) continue;
      if (isManualFile(path)) {
        manual = true;
        continue;
      }
      const kind = change.type === FileChangeType.Created ? 'created' : change.type === FileChangeType.Deleted ? 'deleted' : 'changed';
      for (const folder of this.foldersOf(path)) {
        const list = byFolder.get(folder) ?? [];
        list.push({ path, kind });
        byFolder.set(folder, list);
      }
    }
    for (const [folder, changes] of byFolder) {
      if (!folder.analyzer) continue;
      folder.analyzer.filesChanged(changes);
      this.schedule(folder, undefined);
    }
    if (manual) this.checklistRound();
  }

  private async configurationChanged(settings: unknown): Promise<void> {
    const pushed = (settings as Record<string, unknown> | null | undefined)?.[CONFIG_SECTION];
    await Promise.all(
      this.folders.map(async (folder) => {
        const next = this.caps.configuration ? await this.fetchSettings(folder) : parseSettings(pushed, (m) => this.log(`django-readiness: ${m}`));
        const analysisChanged = !sameAnalysis(folder.settings, next);
        folder.settings = next;
        if (!folder.analyzer) return;
        if (analysisChanged) folder.analyzer.setOptions(toAnalyzerOptions(next));
        this.schedule(folder, undefined, true);
      }),
    );
  }

  // ------------------------------------------------------------------ checklist

  /** The folder's file system for checklists: an open `readiness-checklist.md` buffer wins over the disk. */
  private checklistFs(analyzer: Analyzer): FileSystem {
    const fs = analyzer.fs;
    const buffer = (p: string) => (isManualFile(p) ? this.openDocument(p)?.getText() : undefined);
    // The manual file may be written by the client without a watcher event: always re-read it.
    const fresh = (p: string) => {
      if (isManualFile(p)) analyzer.forgetDisk(p);
    };
    return {
      readFile: (p) => buffer(p) ?? (fresh(p), fs.readFile(p)),
      isFile: (p) => buffer(p) !== undefined || (fresh(p), fs.isFile(p)),
      isDirectory: (p) => fs.isDirectory(p),
      list: (d) => fs.list(d),
    };
  }

  /**
   * The checklists of a folder's projects, from the analysis its published diagnostics came from
   * (so failing items and diagnostics always agree, and a keystroke waiting for its debounced run
   * is not analysed here). A project seen by nested folders belongs to the innermost folder.
   */
  private folderChecklists(folder: Folder): ProjectList[] {
    const analyzer = folder.analyzer;
    const result = folder.result;
    if (!analyzer || !result || folder.removed || !folder.settings.enable) return [];
    const fs = this.checklistFs(analyzer);
    const files = analyzer.workspaceFiles();
    return result.projects.filter((p) => this.ownerOf(p.root) === folder).map((project) => ({ folder, list: buildChecklist(fs, project, result, files) }));
  }

  private toProjectChecklist({ folder, list }: ProjectList): ProjectChecklist {
    return projectChecklist(list, folder, (p) => pathToUri(p));
  }

  private static hash(value: unknown): string {
    return createHash('sha1').update(JSON.stringify(value)).digest('hex');
  }

  /**
   * After each publish round (and each change of a manual-items file): tells the client which
   * folders' checklists differ from what it last got. Nothing is analysed here that the round did
   * not already analyse.
   */
  private checklistRound(): void {
    if (!this.checklistWanted || this.shuttingDown) return;
    const changed: string[] = [];
    const live = new Set<string>();
    for (const folder of this.folders) {
      live.add(folder.uri);
      // Still starting: its first round decides.
      if (!folder.analyzer || (!folder.result && folder.settings.enable)) continue;
      const hash = DjangoReadinessServer.hash((this.guard(`checklist of ${folder.name}`, () => this.folderChecklists(folder)) ?? []).map((x) => this.toProjectChecklist(x)));
      if (this.checklistHashes.get(folder.uri) !== hash) {
        this.checklistHashes.set(folder.uri, hash);
        changed.push(folder.uri);
      }
    }
    for (const uri of [...this.checklistHashes.keys()]) {
      if (live.has(uri)) continue;
      this.checklistHashes.delete(uri);
      changed.push(uri);
    }
    if (changed.length > 0) void this.connection.sendNotification(ChecklistChangedNotification, { uris: changed });
  }

  /** Folders a checklist request is about: those holding `uri` or held by it; all without one. */
  private foldersFor(uri: string | undefined): { folders: Folder[]; path?: string } {
    if (!uri) return { folders: this.folders };
    const path = uriToPath(uri);
    if (!path) return { folders: [] };
    return { folders: this.folders.filter((f) => isUnder(path, f.root) || isUnder(f.root, path)), path };
  }

  private checklistRequest(params: ChecklistParams): ChecklistResult {
    this.checklistWanted = true;
    const { folders, path } = this.foldersFor(params.uri);
    const checklists: ProjectChecklist[] = [];
    for (const folder of folders) {
      const all = (this.guard(`checklist of ${folder.name}`, () => this.folderChecklists(folder)) ?? []).map((x) => this.toProjectChecklist(x));
      // What the client now has, so a round with the same checklist sends nothing; a folder still
      // starting is left unrecorded, so its first round is announced.
      const started = !!folder.analyzer && (!!folder.result || !folder.settings.enable);
      if (!started) this.checklistHashes.delete(folder.uri);
      else if (!params.uri) this.checklistHashes.set(folder.uri, DjangoReadinessServer.hash(all));
      checklists.push(...(path === undefined ? all : all.filter((c) => projectMatches(c, path))));
    }
    // Code-unit order: localeCompare's first call costs 10-30 ms (ICU collator), and URIs are ASCII.
    checklists.sort((a, b) => (a.rootUri < b.rootUri ? -1 : a.rootUri > b.rootUri ? 1 : 0));
    const ready = folders.every((f) => !f.settings.enable || (!!f.analyzer && !!f.result));
    return { checklists, ready };
  }

  /** The project whose root is `rootUri`, with its folder and engine checklist. */
  private projectAt(rootUri: string): ProjectList | undefined {
    const root = uriToPath(rootUri);
    if (!root) return undefined;
    for (const folder of this.foldersOf(root)) {
      const hit = this.folderChecklists(folder).find((x) => x.list.root === root);
      if (hit) return hit;
    }
    return undefined;
  }

  private async setManualItem(params: SetManualItemParams): Promise<SetManualItemResult> {
    const root = uriToPath(params.root);
    const manualPath = root ? join(root, MANUAL_FILE) : undefined;
    const uri = manualPath ? this.uriOf(manualPath) : '';
    const project = this.projectAt(params.root);
    if (!project || !manualPath) return { applied: false, changed: false, uri, reason: `no Django project at ${params.root}` };
    const analyzer = project.folder.analyzer!;
    const current = this.checklistFs(analyzer).readFile(manualPath);
    const who = params.who ?? project.folder.settings.checklistAuthor;
    const outcome = manualFileText(current, params.id, params.checked, todayIso(), who);
    if (!outcome.ok) return { applied: false, changed: false, uri, reason: outcome.reason };
    if (outcome.text === current || outcome.text === undefined) return { applied: true, changed: false, uri };
    const edit = replacementEdit(manualPath, current ?? '', outcome.text);
    if (!edit) return { applied: true, changed: false, uri };
    const ctx = { ...this.editContext, exists: (p: string) => (p === manualPath ? current !== undefined : this.editContext.exists!(p)) };
    const label = `${SOURCE}: ${params.checked ? 'tick' : 'untick'} ${params.id}`;
    const result = await this.connection.workspace.applyEdit({ label, edit: toWorkspaceEdit([edit], ctx) });
    if (!result.applied) this.log(`django-readiness: ${label} was not applied${result.failureReason ? `: ${result.failureReason}` : ''}`);
    // An editor usually opens the file (the new text arrives as didOpen/didChange); a client that
    // writes the disk instead is covered by the watcher. Either way, tell the client what we see now.
    this.checklistRound();
    return { applied: result.applied, changed: true, uri, reason: result.applied ? undefined : (result.failureReason ?? 'the client did not apply the edit') };
  }

  private async fixItem(params: FixItemParams): Promise<FixItemResult> {
    const project = this.projectAt(params.root);
    if (!project) return { applied: false, files: 0, reason: `no Django project at ${params.root}` };
    const entry = project.list.categories.flatMap((c) => c.entries).find((e) => e.item.id === params.id);
    if (!entry) return { applied: false, files: 0, reason: `"${params.id}" is not a checklist item` };
    if (entry.findings.length === 0) return { applied: false, files: 0, reason: 'nothing to fix' };
    const analyzer = project.folder.analyzer!;
    const root = project.list.root;
    // Only this project's findings of the item's rules, at the severities that make it fail.
    const projects = analyzer.projects();
    const ownerRoot = (file: string) => projects.filter((p) => isUnder(file, p.root)).sort((a, b) => b.root.length - a.root.length)[0]?.root;
    const rules = new Set(entry.rules);
    const filter = (f: Finding) => rules.has(f.code) && f.severity !== 'hint' && ownerRoot(f.file) === root;
    const changed = analyzer.previewFixAll(5, filter);
    const edits: TextEdit[] = [];
    for (const [file, after] of changed) {
      const before = analyzer.fs.readFile(file) ?? '';
      const edit = replacementEdit(file, before, after);
      if (edit) edits.push(edit);
    }
    if (edits.length === 0) return { applied: false, files: 0, reason: 'no safe fix for these findings' };
    const label = `${SOURCE}: fix ${params.id}`;
    const result = await this.connection.workspace.applyEdit({ label, edit: toWorkspaceEdit(edits, this.editContext) });
    if (!result.applied) this.log(`django-readiness: ${label} was not applied${result.failureReason ? `: ${result.failureReason}` : ''}`);
    return { applied: result.applied, files: result.applied ? edits.length : 0, reason: result.applied ? undefined : (result.failureReason ?? 'the client did not apply the edit') };
  }

  private report(params: ReportParams): ReportResult {
    const format = params.format === 'json' ? 'json' : 'markdown';
    const lists: ProjectList[] = [];
    if (params.root) {
      const one = this.projectAt(params.root);
      if (one) lists.push(one);
    } else {
      for (const folder of this.folders) lists.push(...(this.guard(`checklist of ${folder.name}`, () => this.folderChecklists(folder)) ?? []));
    }
    if (format === 'json') {
      const all = lists.map(({ list }) => checklistJson(list, list.root));
      return { format, content: JSON.stringify(all.length === 1 ? all[0] : { version: 1, projects: all }, null, 2) + '\n' };
    }
    // Paths relative to the workspace folder (the repository, usually), as in a pull request.
    const texts = lists.map(({ folder, list }) => {
      const text = checklistMarkdown(list, folder.root);
      return text.replace(/^# Production readiness: \.$/m, `# Production readiness: ${folder.name}`);
    });
    return { format, content: texts.length ? texts.join('\n') + '\n' : 'No Django project found.\n' };
  }

  // ------------------------------------------------------------------ code actions and commands

  private codeActions(params: CodeActionParams): CodeAction[] {
    const path = uriToPath(params.textDocument.uri);
    if (!path) return [];
    const only = params.context.only;
    const text = this.documents.get(params.textDocument.uri)?.getText() ?? this.ownerOf(path)?.analyzer?.fs.readFile(path);
    const actions: CodeAction[] = [];
    if (text !== undefined) {
      const fixesFor = (d: Diagnostic, ruleId: string) => this.findingOf(path, d, ruleId)?.fixes ?? [];
      actions.push(...quickFixActions({ path, text, diagnostics: params.context.diagnostics, only, fixesFor }, this.editContext));
    }
    // Fix-all is a source action: only when asked for (Source Action menu, codeActionsOnSave).
    if (only?.length && wantsKind(FIX_ALL_KIND, only)) {
      const edit = this.fixAllEdit(path);
      if (edit) actions.push({ title: `${SOURCE}: Fix all safe problems`, kind: FIX_ALL_KIND, edit });
    }
    return actions;
  }

  /**
   * The finding of the current analysis that a diagnostic of `path` shows; undefined when the
   * diagnostic is from an older version of a document (the client asks again once it has the new
   * diagnostics). An analysis waiting for its debounce delay runs first, so fixes are computed
   * against the documents as they are now.
   */
  private findingOf(path: string, d: Diagnostic, ruleId: string): Finding | undefined {
    for (const folder of this.foldersOf(path)) {
      if (folder.timer) this.run(folder, undefined);
      const found = folder.result?.findings.find(
        (f) => f.file === path && f.code === ruleId && sameRange(f.range, d.range) && diagnosticMessage(f) === d.message,
      );
      if (found) return found;
    }
    return undefined;
  }

  /**
   * The edit applying every preferred safe fix of the document's project (repeating while fixes
   * enable others, like the CLI's --fix), as one replacement per changed file. The analyzer is
   * left as it was: the edits come back as didChange notifications if the client applies them.
   */
  private fixAllEdit(path: string): WorkspaceEdit | undefined {
    const folder = this.ownerOf(path);
    const analyzer = folder?.analyzer;
    if (!folder || !analyzer || !folder.settings.enable) return undefined;
    // Several projects in one folder: only the one the document belongs to (the deepest root).
    const projects = analyzer.projects();
    const ownerRoot = (file: string) => projects.filter((p) => isUnder(file, p.root)).sort((a, b) => b.root.length - a.root.length)[0]?.root;
    const own = projects.length > 1 ? ownerRoot(path) : undefined;
    const filter = own === undefined ? undefined : (f: { file: string }) => ownerRoot(f.file) === own;
    const changed = analyzer.previewFixAll(5, filter);
    const edits: TextEdit[] = [];
    for (const [file, after] of changed) {
      const before = analyzer.fs.readFile(file);
      if (before === undefined) continue;
      const edit = replacementEdit(file, before, after);
      if (edit) edits.push(edit);
    }
    return edits.length > 0 ? toWorkspaceEdit(edits, this.editContext) : undefined;
  }

  private async executeCommand(params: ExecuteCommandParams): Promise<unknown> {
    switch (params.command) {
      case Commands.fixAll: {
        const arg: unknown = params.arguments?.[0];
        const uri = typeof arg === 'string' ? arg : typeof arg === 'object' && arg !== null && typeof (arg as { uri?: unknown }).uri === 'string' ? (arg as { uri: string }).uri : undefined;
        const path = uri ? uriToPath(uri) : undefined;
        if (!path) {
          this.log(`django-readiness: ${Commands.fixAll} needs a file URI argument`);
          return { applied: false };
        }
        const edit = this.fixAllEdit(path);
        if (!edit) return { applied: false, reason: 'nothing to fix' };
        const result = await this.connection.workspace.applyEdit({ label: `${SOURCE}: fix all`, edit });
        if (!result.applied) this.log(`django-readiness: fix all was not applied${result.failureReason ? `: ${result.failureReason}` : ''}`);
        return { applied: result.applied };
      }
      case Commands.reanalyze:
        await Promise.all(this.folders.map((f) => this.startFolder(f, true)));
        return { folders: this.folders.length };
      default:
        this.log(`django-readiness: unknown command ${params.command}`);
        return undefined;
    }
  }
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/** Whether a checklist belongs to a request for `path` (the project holds it, or sits inside it). */
function projectMatches(c: ProjectChecklist, path: string): boolean {
  const root = uriToPath(c.rootUri);
  return !!root && (isUnder(path, root) || isUnder(root, path));
}

function toContentChange(c: TextDocumentContentChangeEvent): ContentChange {
  return 'range' in c && c.range ? { range: c.range, text: c.text } : { text: c.text };
}

// ---------------------------------------------------------------------- main

// Start loading the parser runtime and the Python grammar now: it overlaps the LSP handshake, and
// the first Analyzer.create then finds it loaded. A failure surfaces there, where it is reported.
loadLanguage('python').catch(() => undefined);
const stdio = stdioTransport(process.argv);
// A stream and a writer (the library's types want two of a kind; it takes either for each).
const connection = stdio ? createConnection(ProposedFeatures.all, stdio.input as unknown as MessageReader, stdio.output) : createConnection(ProposedFeatures.all);
if (stdio) consoleToClient(connection.console);
process.on('uncaughtException', (err) => {
  try {
    connection.console.error(`django-readiness: uncaught exception: ${err.stack ?? err.message}`);
  } catch {
    // nothing left to report to
  }
});
process.on('unhandledRejection', (reason) => {
  try {
    connection.console.error(`django-readiness: unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
  } catch {
    // nothing left to report to
  }
});
new DjangoReadinessServer(connection);
connection.listen();

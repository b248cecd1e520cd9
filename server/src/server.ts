// The language server: a thin LSP adapter over the engine's Analyzer (one per workspace folder).
// It forwards document and file events, runs the analysis (debounced), pushes diagnostics for every
// file with findings (open or not), and turns the fixes carried in diagnostics into code actions.
// Started by the VS Code client over IPC (`--node-ipc`) or by the tests over `--stdio`.
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import {
  type CodeAction,
  type CodeActionParams,
  CodeActionKind,
  type Connection,
  createConnection,
  type Diagnostic,
  DidChangeWatchedFilesNotification,
  type DidChangeWatchedFilesParams,
  type ExecuteCommandParams,
  FileChangeType,
  type InitializeParams,
  type InitializeResult,
  NotificationType,
  ProposedFeatures,
  type TextDocumentContentChangeEvent,
  TextDocuments,
  TextDocumentSyncKind,
  type WorkspaceEdit,
  type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analyzer } from './engine/analyzer';
import { replacementEdit } from './engine/fixes/textDiff';
import type { ContentChange } from './engine/parsing/documents';
import type { TextEdit } from './engine/types';
import { quickFixActions, toWorkspaceEdit, wantsKind, type EditContext } from './lsp/codeActions';
import { toDiagnostic } from './lsp/diagnostics';
import { DEFAULT_SETTINGS, type FolderSettings, parseSettings, sameAnalysis, toAnalyzerOptions } from './lsp/settings';
import { isUnder, pathToUri, uriToPath } from './lsp/uris';
import { CONFIG_SECTION, Commands, FIX_ALL_KIND, SERVER_COMMANDS, SOURCE, STATUS_NOTIFICATION, type StatusParams } from './protocol';

const WATCHED_GLOBS = ['**/*.py', '**/requirements*.txt', '**/Dockerfile*', '**/*compose*.y*ml', '**/.env*', '**/pyproject.toml'];
const StatusNotification = new NotificationType<StatusParams>(STATUS_NOTIFICATION);

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
  timer?: NodeJS.Timeout;
  /** Paths whose diagnostics must be republished by the next run even if unchanged (new version). */
  pending: Set<string>;
}

interface Published {
  uri: string;
  key: string;
  count: number;
}

export class DjangoReadinessServer {
  private readonly documents: TextDocuments<TextDocument>;
  /** The content changes of the didChange being processed (TextDocuments only hands out the result). */
  private lastChanges: { uri: string; changes: TextDocumentContentChangeEvent[] } | undefined;
  private folders: Folder[] = [];
  private readonly published = new Map<string, Published>();
  /** Path → URI of the open documents (the client's spelling of the URI is kept). */
  private readonly openUris = new Map<string, string>();
  private lastAnalysisMs = 0;
  private caps = { configuration: false, watchedFiles: false, workspaceFolders: false, documentChanges: false, createFiles: false };
  private shuttingDown = false;

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
    if (this.caps.watchedFiles) {
      await this.guardAsync('register file watchers', () =>
        this.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: WATCHED_GLOBS.map((globPattern) => ({ globPattern })) }),
      );
    }
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
    await Promise.all(this.folders.map((f) => this.startFolder(f)));
  }

  private removeFolder(folder: Folder): void {
    folder.removed = true;
    folder.epoch++;
    if (folder.timer) clearTimeout(folder.timer);
    folder.analyzer?.dispose();
    folder.analyzer = undefined;
    folder.current = new Map();
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
    old?.dispose();
    folder.settings = await this.fetchSettings(folder);
    const analyzer = await Analyzer.create(folder.root, toAnalyzerOptions(folder.settings));
    if (folder.epoch !== epoch || folder.removed || this.shuttingDown) {
      analyzer.dispose();
      return;
    }
    // Buffers opened or edited while the analyzer was being created: take their current text.
    const open: string[] = [];
    for (const doc of this.documents.all()) {
      const path = uriToPath(doc.uri);
      if (!path || !isUnder(path, folder.root)) continue;
      analyzer.setDocument(path, doc.getText());
      open.push(path);
    }
    folder.analyzer = analyzer;
    const t0 = performance.now();
    const projects = this.guard('project discovery', () => analyzer.projects()) ?? [];
    for (const p of projects) {
      this.log(`django-readiness: ${folder.name}: project at ${p.root}: ${p.production ? `production settings ${p.production.moduleName} (${p.productionReason})` : `no production settings (${p.productionReason})`}; Django ${p.djangoVersion.major}.${p.djangoVersion.minor} (${p.djangoVersion.source})`);
    }
    this.run(folder, new Set(open), t0, republishAll);
  }

  private shutdown(): void {
    this.shuttingDown = true;
    for (const f of this.folders) {
      if (f.timer) clearTimeout(f.timer);
      f.epoch++;
      f.analyzer?.dispose();
      f.analyzer = undefined;
    }
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
  }

  private analyzeFolder(folder: Folder): void {
    const analyzer = folder.analyzer;
    if (!analyzer) return;
    if (!folder.settings.enable) {
      folder.current = new Map();
      return;
    }
    const findings = analyzer.analyze().findings;
    const ctx = { uriOf: (p: string) => this.uriOf(p), versionOf: (p: string) => this.versionOf(p) };
    const next = new Map<string, Diagnostic[]>();
    for (const f of findings) {
      const list = next.get(f.file) ?? [];
      list.push(toDiagnostic(f, ctx));
      next.set(f.file, list);
    }
    folder.current = next;
  }

  /**
   * Sends the diagnostics of every file whose diagnostics changed since they were last sent, `[]`
   * for files that no longer have any, and the current ones of `triggers` (edited documents, for
   * their new version) in any case; then the status notification.
   */
  private publish(triggers: Set<string>): void {
    const paths = new Set<string>(this.published.keys());
    for (const f of this.folders) for (const p of f.current.keys()) paths.add(p);
    for (const p of triggers) if (this.foldersOf(p).length > 0) paths.add(p);
    for (const path of [...paths].sort()) {
      const diagnostics = this.folders.flatMap((f) => f.current.get(path) ?? []);
      const key = JSON.stringify(diagnostics);
      const previous = this.published.get(path);
      if (!triggers.has(path) && (previous ? previous.key === key : diagnostics.length === 0)) continue;
      const doc = this.openDocument(path);
      const uri = doc?.uri ?? previous?.uri ?? pathToUri(path);
      if (previous && previous.uri !== uri) void this.connection.sendDiagnostics({ uri: previous.uri, diagnostics: [] });
      void this.connection.sendDiagnostics({ uri, version: doc?.version, diagnostics });
      if (diagnostics.length > 0) this.published.set(path, { uri, key, count: diagnostics.length });
      else this.published.delete(path);
    }
    let findings = 0;
    for (const p of this.published.values()) findings += p.count;
    void this.connection.sendNotification(StatusNotification, { findings, files: this.published.size, analysisMs: Math.round(this.lastAnalysisMs * 10) / 10 });
  }

  // ------------------------------------------------------------------ documents and files

  private contentChanged(doc: TextDocument): void {
    const changes = this.lastChanges?.uri === doc.uri ? this.lastChanges.changes : undefined;
    this.lastChanges = undefined;
    const path = uriToPath(doc.uri);
    if (!path) return;
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
    for (const folder of this.foldersOf(path)) {
      if (!folder.analyzer) continue;
      folder.analyzer.closeDocument(path);
      this.schedule(folder, path, true);
    }
  }

  private watchedFilesChanged(params: DidChangeWatchedFilesParams): void {
    const byFolder = new Map<Folder, { path: string; kind: 'created' | 'changed' | 'deleted' }[]>();
    for (const change of params.changes) {
      const path = uriToPath(change.uri);
      if (!path) continue;
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

  // ------------------------------------------------------------------ code actions and commands

  private codeActions(params: CodeActionParams): CodeAction[] {
    const path = uriToPath(params.textDocument.uri);
    if (!path) return [];
    const only = params.context.only;
    const text = this.documents.get(params.textDocument.uri)?.getText() ?? this.ownerOf(path)?.analyzer?.fs.readFile(path);
    const actions: CodeAction[] = [];
    if (text !== undefined) actions.push(...quickFixActions({ path, text, diagnostics: params.context.diagnostics, only }, this.editContext));
    // Fix-all is a source action: only when asked for (Source Action menu, codeActionsOnSave).
    if (only?.length && wantsKind(FIX_ALL_KIND, only)) {
      const edit = this.fixAllEdit(path);
      if (edit) actions.push({ title: `${SOURCE}: Fix all safe problems`, kind: FIX_ALL_KIND, edit });
    }
    return actions;
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

function toContentChange(c: TextDocumentContentChangeEvent): ContentChange {
  return 'range' in c && c.range ? { range: c.range, text: c.text } : { text: c.text };
}

// ---------------------------------------------------------------------- main

const connection = createConnection(ProposedFeatures.all);
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

// A minimal LSP client for protocol tests: spawns the built server over stdio, plays the client
// side of the handshake, answers the server's requests (configuration, registration, applyEdit)
// and lets tests wait for the notifications they expect — never for a fixed time.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type ApplyWorkspaceEditParams,
  type ApplyWorkspaceEditResult,
  type ClientCapabilities,
  type CodeAction,
  type CodeActionParams,
  CodeActionRequest,
  ConfigurationRequest,
  createProtocolConnection,
  type Diagnostic,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  type FileEvent,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExecuteCommandRequest,
  ExitNotification,
  InitializedNotification,
  type InitializeResult,
  InitializeRequest,
  LogMessageNotification,
  NotificationType,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  PublishDiagnosticsNotification,
  type Range,
  RegistrationRequest,
  ApplyWorkspaceEditRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type TextDocumentContentChangeEvent,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { REPO_ROOT } from '../helpers/engine';
import { STATUS_NOTIFICATION, type StatusParams } from '../../server/src/protocol';

export const SERVER_JS = join(REPO_ROOT, 'server', 'out', 'server.js');
const DEFAULT_TIMEOUT = 15_000;

export const uriOf = (path: string) => pathToFileURL(path).href;

/** What `workspace/configuration` answers: a section object, or a function of the scope URI. */
export type ConfigAnswer = Record<string, unknown> | null | ((scopeUri: string | undefined) => unknown);

export interface StartOptions {
  /** Workspace folders (absolute paths). */
  folders: string[];
  /**
   * The `djangoReadiness` section to return for `workspace/configuration`. `undefined` leaves the
   * request unhandled (the server gets an error and must fall back to its defaults).
   */
  config?: ConfigAnswer;
  /** Answer for `workspace/applyEdit`; default: record the edit and answer `{ applied: true }`. */
  applyEdit?: (params: ApplyWorkspaceEditParams) => ApplyWorkspaceEditResult;
  capabilities?: ClientCapabilities;
}

interface Waiter<T> {
  match: (value: T) => boolean;
  resolve: (value: T) => void;
}

export class LspTestClient {
  readonly connection: ProtocolConnection;
  /** Latest diagnostics per URI. */
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  /** Number of publishDiagnostics received per URI. */
  readonly publishCounts = new Map<string, number>();
  readonly statuses: StatusParams[] = [];
  readonly logs: string[] = [];
  readonly appliedEdits: ApplyWorkspaceEditParams[] = [];
  readonly registrations: { method: string; registerOptions?: unknown }[] = [];
  readonly configurationRequests: (string | undefined)[] = [];
  config: ConfigAnswer | undefined;
  initializeResult!: InitializeResult;
  private readonly versions = new Map<string, number>();
  private readonly texts = new Map<string, string>();
  private diagnosticWaiters: Waiter<PublishDiagnosticsParams>[] = [];
  private statusWaiters: Waiter<StatusParams>[] = [];
  private stderr = '';
  private readonly exited: Promise<number | null>;
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly proc: ChildProcess,
    options: StartOptions,
  ) {
    this.config = options.config;
    this.exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
    proc.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.connection = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.diagnostics.set(p.uri, p);
      this.publishCounts.set(p.uri, (this.publishCounts.get(p.uri) ?? 0) + 1);
      this.diagnosticWaiters = this.diagnosticWaiters.filter((w) => {
        if (!w.match(p)) return true;
        w.resolve(p);
        return false;
      });
    });
    this.connection.onNotification(new NotificationType<StatusParams>(STATUS_NOTIFICATION), (s) => {
      this.statuses.push(s);
      this.statusWaiters = this.statusWaiters.filter((w) => {
        if (!w.match(s)) return true;
        w.resolve(s);
        return false;
      });
    });
    this.connection.onNotification(LogMessageNotification.type, (m) => {
      this.logs.push(m.message);
    });
    this.connection.onRequest(RegistrationRequest.type, (p) => {
      this.registrations.push(...p.registrations);
    });
    if (options.config !== undefined) {
      this.connection.onRequest(ConfigurationRequest.type, (p) =>
        p.items.map((item) => {
          this.configurationRequests.push(item.scopeUri);
          const c = this.config;
          return typeof c === 'function' ? c(item.scopeUri) : (c ?? null);
        }),
      );
    }
    this.connection.onRequest(ApplyWorkspaceEditRequest.type, (p) => {
      this.appliedEdits.push(p);
      return options.applyEdit ? options.applyEdit(p) : { applied: true };
    });
    this.connection.listen();
  }

  static async start(options: StartOptions): Promise<LspTestClient> {
    // DJR_SERVER_NODE_ARGS adds Node options for the server process (e.g. --cpu-prof when profiling a bench).
    const nodeArgs = (process.env.DJR_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
    // The environment the extension gives the server: without NODE_EXTRA_CA_CERTS (the server makes
    // no network connection, and Node parses that file before running anything).
    const env = { ...process.env };
    delete env.NODE_EXTRA_CA_CERTS;
    const proc = spawn(process.execPath, [...nodeArgs, SERVER_JS, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env });
    const client = new LspTestClient(proc, options);
    const capabilities: ClientCapabilities = options.capabilities ?? {
      workspace: {
        configuration: true,
        didChangeConfiguration: { dynamicRegistration: true },
        didChangeWatchedFiles: { dynamicRegistration: true },
        workspaceFolders: true,
        applyEdit: true,
        workspaceEdit: { documentChanges: true },
      },
      textDocument: {
        synchronization: { didSave: true, dynamicRegistration: true },
        publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } }, isPreferredSupport: true, dataSupport: true },
      },
    };
    client.initializeResult = await client.withTimeout(
      client.connection.sendRequest(InitializeRequest.type, {
        processId: process.pid,
        rootUri: options.folders[0] ? uriOf(options.folders[0]) : null,
        capabilities,
        workspaceFolders: options.folders.map((f, i) => ({ uri: uriOf(f), name: `folder${i}` })),
      }),
      'initialize',
    );
    await client.connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  /** Rejects after `ms` with the server's recent log, so a hang fails the test with context. */
  withTimeout<T>(promise: Promise<T>, what: string, ms = DEFAULT_TIMEOUT): Promise<T> {
    let timer: NodeJS.Timeout;
    return Promise.race([
      promise.finally(() => {
        clearTimeout(timer);
        this.timers.delete(timer);
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}\n--- server log ---\n${this.logs.join('\n')}\n--- stderr ---\n${this.stderr}`)), ms);
        this.timers.add(timer);
      }),
    ]);
  }

  /**
   * The next publishDiagnostics for `uri` that satisfies `match` (and arrives after this call).
   * Call it before sending the notification that should cause it.
   */
  nextDiagnostics(uri: string, match: (d: Diagnostic[]) => boolean = () => true, what = `diagnostics for ${uri}`): Promise<Diagnostic[]> {
    const p = new Promise<PublishDiagnosticsParams>((resolve) => this.diagnosticWaiters.push({ match: (x) => x.uri === uri && match(x.diagnostics), resolve }));
    return this.withTimeout(p, what).then((x) => x.diagnostics);
  }

  /** Like nextDiagnostics, but satisfied at once by the latest diagnostics already received. */
  diagnosticsFor(uri: string, match: (d: Diagnostic[]) => boolean = () => true, what?: string): Promise<Diagnostic[]> {
    const latest = this.diagnostics.get(uri);
    if (latest && match(latest.diagnostics)) return Promise.resolve(latest.diagnostics);
    return this.nextDiagnostics(uri, match, what);
  }

  nextStatus(match: (s: StatusParams) => boolean = () => true): Promise<StatusParams> {
    return this.withTimeout(new Promise<StatusParams>((resolve) => this.statusWaiters.push({ match, resolve })), 'djangoReadiness/status');
  }

  // ------------------------------------------------------------ documents

  open(path: string, languageId = 'python', text = readFileSync(path, 'utf8')): Promise<void> {
    const uri = uriOf(path);
    this.versions.set(uri, 1);
    this.texts.set(uri, text);
    return this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  }

  text(path: string): string {
    const t = this.texts.get(uriOf(path));
    if (t === undefined) throw new Error(`${path} is not open`);
    return t;
  }

  version(path: string): number | undefined {
    return this.versions.get(uriOf(path));
  }

  /**
   * Sends incremental changes (applied in order, each against the previous result). `onSend` runs
   * just before the notification goes out, after this client has updated its own copy of the text
   * (a benchmark starts its clock there: the copy is the client's work, not the server's).
   */
  change(path: string, changes: TextDocumentContentChangeEvent[], onSend?: () => void): Promise<void> {
    const uri = uriOf(path);
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    let text = this.text(path);
    for (const c of changes) text = 'range' in c ? applyRange(text, c.range, c.text) : c.text;
    this.texts.set(uri, text);
    onSend?.();
    return this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
  }

  /** Applies LSP text edits (simultaneous, as in a WorkspaceEdit) as a sequence of incremental changes. */
  applyEdits(path: string, edits: TextEdit[]): Promise<void> {
    // Later positions first; for equal positions, later edits first, so earlier ones end up before them.
    const ordered = edits
      .map((e, i) => ({ e, i }))
      .sort((a, b) => cmpPos(b.e.range.start, a.e.range.start) || b.i - a.i)
      .map(({ e }) => ({ range: e.range, text: e.newText }));
    return this.change(path, ordered);
  }

  close(path: string): Promise<void> {
    const uri = uriOf(path);
    this.versions.delete(uri);
    this.texts.delete(uri);
    return this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  // ------------------------------------------------------------ requests

  codeActions(path: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    const params: CodeActionParams = { textDocument: { uri: uriOf(path) }, range, context: { diagnostics, only } };
    return this.withTimeout(this.connection.sendRequest(CodeActionRequest.type, params), 'codeAction').then((r) => (r ?? []) as CodeAction[]);
  }

  executeCommand(command: string, args: unknown[]): Promise<unknown> {
    return this.withTimeout(this.connection.sendRequest(ExecuteCommandRequest.type, { command, arguments: args }), `executeCommand ${command}`);
  }

  filesChanged(changes: FileEvent[]): Promise<void> {
    return this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
  }

  changeConfiguration(config: ConfigAnswer): Promise<void> {
    this.config = config;
    return this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  }

  /** shutdown + exit; resolves with the process exit code. */
  async shutdown(): Promise<number | null> {
    await this.withTimeout(this.connection.sendRequest(ShutdownRequest.type), 'shutdown');
    await this.connection.sendNotification(ExitNotification.type);
    const code = await this.withTimeout(this.exited, 'server exit');
    this.connection.dispose();
    return code;
  }

  /** For after() hooks: make sure no server outlives its test. */
  kill(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill();
    this.connection.dispose();
  }

  get serverStderr(): string {
    return this.stderr;
  }
}

function cmpPos(a: { line: number; character: number }, b: { line: number; character: number }): number {
  return a.line - b.line || a.character - b.character;
}

function offsetOf(text: string, pos: { line: number; character: number }): number {
  let offset = 0;
  for (let line = 0; line < pos.line; line++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) return text.length;
    offset = nl + 1;
  }
  return Math.min(text.length, offset + pos.character);
}

export function applyRange(text: string, range: Range, newText: string): string {
  return text.slice(0, offsetOf(text, range.start)) + newText + text.slice(offsetOf(text, range.end));
}

/** Applies simultaneous edits to a text (what an editor does with a WorkspaceEdit's edits for one file). */
export function applyTextEdits(text: string, edits: TextEdit[]): string {
  const ordered = edits.map((e, i) => ({ e, i })).sort((a, b) => cmpPos(b.e.range.start, a.e.range.start) || b.i - a.i);
  for (const { e } of ordered) text = applyRange(text, e.range, e.newText);
  return text;
}

/** The edits of a WorkspaceEdit per URI, whichever form (`documentChanges` or `changes`) it uses. */
export function editsByUri(edit: WorkspaceEdit | undefined): Map<string, { version: number | null | undefined; edits: TextEdit[] }> {
  const out = new Map<string, { version: number | null | undefined; edits: TextEdit[] }>();
  for (const dc of edit?.documentChanges ?? []) {
    if (!('textDocument' in dc)) continue;
    const entry = out.get(dc.textDocument.uri) ?? { version: dc.textDocument.version, edits: [] };
    entry.edits.push(...(dc.edits as TextEdit[]));
    out.set(dc.textDocument.uri, entry);
  }
  for (const [uri, edits] of Object.entries(edit?.changes ?? {})) out.set(uri, { version: undefined, edits });
  return out;
}

/** The standard test project of the LSP tests (see the brief in test/lsp/*.test.ts). */
export const PROJECT_FILES: Record<string, string> = {
  'manage.py': 'import os\nimport sys\n\nif __name__ == "__main__":\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings.production")\n',
  'proj/__init__.py': '',
  'proj/settings/__init__.py': '',
  'proj/settings/base.py': 'MIDDLEWARE = [\n    "django.middleware.security.SecurityMiddleware",\n]\nDEBUG = True\n',
  'proj/settings/production.py': 'from .base import *\n',
};

/** Settings the tests return for `workspace/configuration` unless they say otherwise. */
export const FAST_CONFIG = { debounceMs: 0 };

export const codes = (ds: Diagnostic[]) => ds.map((d) => String(d.code)).sort();

/**
 * Whether `ds` has every code of `present` and none of `absent`. Tests name the findings they are
 * about rather than whole lists, so new rules do not break them.
 */
export const has = (ds: Diagnostic[], present: string[], absent: string[] = []) => {
  const c = codes(ds);
  return present.every((x) => c.includes(x)) && absent.every((x) => !c.includes(x));
};

export function assertCodes(ds: Diagnostic[], present: string[], absent: string[] = []): void {
  if (!has(ds, present, absent)) throw new Error(`expected ${present.join(', ')}${absent.length ? ` and not ${absent.join(', ')}` : ''}, got ${codes(ds).join(', ')}`);
}

// The VS Code side: starts the language server (server/out/server.js over stdio), shows the
// findings count in the status bar, the readiness checklist view (checklist/view.ts), and offers
// the commands. Everything else happens in the server.
//
// Activation: the server process is started before vscode-languageclient (most of this bundle) is
// loaded, so the server's own start (Node, its bundle, the parser) overlaps loading the client.
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient, LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import {
  CHECKLIST_CHANGED_NOTIFICATION,
  CONFIG_SECTION,
  Commands,
  type FixItemResult,
  type ProjectChecklist,
  type SetManualItemResult,
  SOURCE,
  STATUS_NOTIFICATION,
  type StatusParams,
} from '../../server/src/protocol';
import type { TreeNode } from './checklist/treeModel';
import { ChecklistView, type ChecklistViewState } from './checklist/view';
import { CACHE_DIR_ENV } from '../../server/src/lsp/codeCache';
import { statusView } from './statusText';

/** What `activate` returns; the extension-host tests read it. */
export interface DjangoReadinessApi {
  /** The running client, or undefined while stopped (disabled). */
  readonly client: LanguageClient | undefined;
  getStatus(): { findings: number; files: number };
  /** The checklist of every project, fresh from the server (the view is updated with it). */
  getChecklist(): Promise<ProjectChecklist[]>;
  /** The checklist view's nodes as shown now (the tree model; filter applied). */
  getTreeNodes(): TreeNode[];
  /** The view's score message, badge, welcome state and filter. */
  getChecklistViewState(): ChecklistViewState;
  /** Fires each time the view took a checklist from the server (after checklistChanged, refresh...). */
  readonly onDidChangeChecklist: vscode.Event<readonly ProjectChecklist[]>;
  /** Ticks or unticks a manual item (what the view's checkbox does). */
  setManualItem(root: string, id: string, checked: boolean): Promise<SetManualItemResult | undefined>;
  /** Applies the safe fixes of one item's findings (the view's inline "Fix"). */
  fixItem(root: string, id: string): Promise<FixItemResult | undefined>;
}

const OUTPUT_NAME = 'Django Readiness';

class Controller implements vscode.Disposable {
  client: LanguageClient | undefined;
  status: StatusParams | undefined;
  private readonly item: vscode.StatusBarItem;
  /** Stand-ins for the server's commands while no server runs (the client registers the real ones). */
  private stubs: vscode.Disposable[] = [];
  /** Start/stop/restart run one at a time, in order. */
  private queue: Promise<void> = Promise.resolve();
  /** Told when the client starts or stops, and when the server's checklist changed (the view). */
  onChecklistChanged: () => void = () => {};

  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly output: vscode.LogOutputChannel,
  ) {
    this.item = vscode.window.createStatusBarItem('djangoReadiness.status', vscode.StatusBarAlignment.Left, 0);
    this.item.name = OUTPUT_NAME;
    this.item.command = 'workbench.actions.view.problems';
    this.render();
  }

  private serialize(job: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(job, job).catch((err: unknown) => {
      this.output.error(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    });
    return this.queue;
  }

  /** Starts or stops the server to match `djangoReadiness.enable`. */
  sync(): Promise<void> {
    return this.serialize(async () => {
      if (isEnabled() && !this.client) await this.start();
      else if (!isEnabled() && this.client) await this.stop();
      else if (!this.client) this.registerStubs();
    });
  }

  restart(): Promise<void> {
    return this.serialize(async () => {
      if (this.client) await this.stop();
      if (isEnabled()) await this.start();
      else void vscode.window.showInformationMessage(`Django Readiness is disabled (${CONFIG_SECTION}.enable).`);
    });
  }

  /** The running server process, if any (the language client does not manage a process it is handed). */
  private process: ChildProcess | undefined;

  /**
   * Forks the server over stdio, the way vscode-languageclient forks a `module` server (Electron as
   * Node, the client's pid to watch, the first workspace folder as working directory, `--inspect`
   * when the extension host is being debugged).
   */
  private spawnServer(): ChildProcess {
    const serverModule = this.context.asAbsolutePath(path.join('server', 'out', 'server.js'));
    const debug = process.execArgv.some((a) => /^--(inspect|debug)(-brk)?(=|$)/.test(a));
    const first = vscode.workspace.workspaceFolders?.[0]?.uri;
    const cwd = first?.scheme === 'file' && existsSync(first.fsPath) ? first.fsPath : undefined;
    const proc = fork(serverModule, ['--stdio', `--clientProcessId=${process.pid}`], {
      cwd,
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', ELECTRON_NO_ASAR: '1', ...serverEnvironment(this.context.globalStorageUri) },
      execArgv: debug ? ['--nolazy', '--inspect=6009'] : [],
      silent: true,
    });
    // Never let a failed spawn surface as an uncaught error: the client reports the closed streams.
    proc.on('error', (err) => this.output.error(`language server process: ${err.message}`));
    proc.on('exit', (code, signal) => {
      if (code || signal) this.output.error(`language server process exited with ${signal ? `signal ${signal}` : `code ${code}`}`);
    });
    this.process = proc;
    return proc;
  }

  /** Ends a server process that did not exit after shutdown/exit (or never got them). */
  private static reap(proc: ChildProcess | undefined, afterMs: number): void {
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    setTimeout(() => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill();
    }, afterMs).unref();
  }

  private async start(): Promise<void> {
    this.disposeStubs();
    // The first connection takes the process started now; a restart after a crash forks a new one.
    let started: ChildProcess | undefined = this.spawnServer();
    const serverOptions: ServerOptions = async () => {
      const proc = started ?? this.spawnServer();
      started = undefined;
      return proc;
    };
    const { LanguageClient } = await import('vscode-languageclient/node');
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'python' },
        { scheme: 'file', language: 'dockerfile' },
        { scheme: 'file', language: 'pip-requirements' },
        { scheme: 'file', language: 'dotenv' },
        { scheme: 'file', pattern: '**/{requirements*.txt,*.env,.env*,*compose*.yml,*compose*.yaml}' },
        { scheme: 'file', pattern: '**/{Dockerfile,Dockerfile.*,*.dockerfile,Containerfile}' },
        { scheme: 'file', pattern: '**/{.gitignore,.dockerignore,pyproject.toml,Pipfile}' },
        // The manual checklist items: its open buffer feeds the checklist view (nothing analyses it).
        { scheme: 'file', pattern: '**/readiness-checklist.md' },
      ],
      synchronize: { configurationSection: CONFIG_SECTION },
      outputChannel: this.output,
      middleware: {
        // The server's commands are registered by the client from executeCommandProvider; fill in
        // the active editor for "fix all" when it is run from the command palette.
        executeCommand: (command, args, next) => {
          if (command === Commands.fixAll && args.length === 0) {
            const uri = vscode.window.activeTextEditor?.document.uri;
            if (!uri || uri.scheme !== 'file') {
              void vscode.window.showInformationMessage('Django Readiness: open a file of the Django project to fix.');
              return undefined;
            }
            return next(command, [uri.toString()]);
          }
          return next(command, args);
        },
        // Only our own diagnostics go to the server (code actions need nothing else).
        provideCodeActions: (document, range, context, token, next) =>
          next(document, range, { ...context, diagnostics: context.diagnostics.filter((d) => d.source === SOURCE) }, token),
      },
    };
    let client: LanguageClient;
    try {
      client = new LanguageClient('djangoReadiness', OUTPUT_NAME, serverOptions, clientOptions);
    } catch (err) {
      Controller.reap(this.process, 0);
      throw err;
    }
    client.onNotification(STATUS_NOTIFICATION, (s: StatusParams) => {
      this.status = s;
      this.render();
    });
    client.onNotification(CHECKLIST_CHANGED_NOTIFICATION, () => this.onChecklistChanged());
    this.client = client;
    this.status = undefined;
    this.render();
    this.item.show();
    try {
      await client.start();
      await vscode.commands.executeCommand('setContext', 'djangoReadiness.running', true);
      this.onChecklistChanged();
    } catch (err) {
      this.client = undefined;
      Controller.reap(this.process, 0);
      this.process = undefined;
      this.item.hide();
      this.registerStubs();
      this.output.error(`could not start the language server: ${err instanceof Error ? err.message : String(err)}`);
      void vscode.window.showErrorMessage('Django Readiness: the language server could not start. See the output for details.', 'Show Output').then((c) => {
        if (c) this.output.show(true);
      });
    }
  }

  private async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.status = undefined;
    this.item.hide();
    await vscode.commands.executeCommand('setContext', 'djangoReadiness.running', false);
    this.onChecklistChanged();
    if (client) {
      try {
        await client.stop();
      } catch (err) {
        this.output.warn(`stopping the language server: ${err instanceof Error ? err.message : String(err)}`);
      }
      Controller.reap(this.process, 2000);
      this.process = undefined;
      // stop() disposes the commands the client registered; now ours can take their names.
    }
    this.registerStubs();
  }

  private registerStubs(): void {
    if (this.stubs.length > 0) return;
    const disabled = () => void vscode.window.showInformationMessage(`Django Readiness is not running: it is disabled (${CONFIG_SECTION}.enable) or failed to start.`);
    this.stubs = [vscode.commands.registerCommand(Commands.fixAll, disabled), vscode.commands.registerCommand(Commands.reanalyze, disabled)];
  }

  private disposeStubs(): void {
    for (const d of this.stubs) d.dispose();
    this.stubs = [];
  }

  private render(): void {
    const view = statusView(this.status);
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
  }

  async dispose(): Promise<void> {
    this.disposeStubs();
    this.item.dispose();
    const client = this.client;
    this.client = undefined;
    if (client) await client.stop().catch(() => undefined);
    Controller.reap(this.process, 2000);
    this.process = undefined;
  }
}

/**
 * The server's environment, on top of the extension host's: its V8 code cache goes to the
 * extension's global storage (server/src/lsp/codeCache.ts), and NODE_EXTRA_CA_CERTS is dropped:
 * Node 20 reads and parses those certificates at startup (about 50 ms measured), and the server
 * never opens a network connection.
 */
function serverEnvironment(storage: vscode.Uri): Record<string, string | undefined> {
  return { NODE_EXTRA_CA_CERTS: undefined, ...(storage.scheme === 'file' ? { [CACHE_DIR_ENV]: path.join(storage.fsPath, 'code-cache') } : {}) };
}

/** The server runs when any workspace folder (or the window, without folders) enables it. */
function isEnabled(): boolean {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) return vscode.workspace.getConfiguration(CONFIG_SECTION).get<boolean>('enable', true);
  return folders.some((f) => vscode.workspace.getConfiguration(CONFIG_SECTION, f.uri).get<boolean>('enable', true));
}

let controller: Controller | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<DjangoReadinessApi> {
  const output = vscode.window.createOutputChannel(OUTPUT_NAME, { log: true });
  const c = new Controller(context, output);
  controller = c;
  context.subscriptions.push(
    output,
    { dispose: () => void c.dispose() },
    vscode.commands.registerCommand(Commands.restartServer, () => c.restart()),
    vscode.commands.registerCommand(Commands.showOutput, () => output.show(true)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`${CONFIG_SECTION}.enable`)) void c.sync();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => void c.sync()),
    vscode.commands.registerCommand(Commands.openReadme, () =>
      vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.joinPath(context.extensionUri, 'README.md')),
    ),
  );
  const checklist = new ChecklistView(context, () => c.client, output, isEnabled);
  context.subscriptions.push(checklist);
  c.onChecklistChanged = () => void checklist.refresh();
  await c.sync();
  return {
    get client() {
      return c.client;
    },
    getStatus: () => ({ findings: c.status?.findings ?? 0, files: c.status?.files ?? 0 }),
    getChecklist: async () => {
      await checklist.refresh();
      return [...checklist.checklists];
    },
    getTreeNodes: () => checklist.treeNodes,
    getChecklistViewState: () => checklist.state,
    onDidChangeChecklist: checklist.onDidChangeChecklist,
    setManualItem: (root, id, checked) => checklist.setManualItem(root, id, checked),
    fixItem: (root, id) => checklist.fixItem({ root, id }),
  };
}

export async function deactivate(): Promise<void> {
  const c = controller;
  controller = undefined;
  await c?.dispose();
}

// The VS Code side: starts the language server (server/out/server.js over IPC), shows the
// findings count in the status bar, the readiness checklist view (checklist/view.ts), and offers
// the commands. Everything else happens in the server.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, type LanguageClientOptions, type ServerOptions, TransportKind } from 'vscode-languageclient/node';
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

  private async start(): Promise<void> {
    this.disposeStubs();
    const serverModule = this.context.asAbsolutePath(path.join('server', 'out', 'server.js'));
    const serverOptions: ServerOptions = {
      run: { module: serverModule, transport: TransportKind.ipc },
      debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
    };
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
    const client = new LanguageClient('djangoReadiness', OUTPUT_NAME, serverOptions, clientOptions);
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
  }
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

// The checklist tree view: a TreeDataProvider over the nodes of treeModel.ts, fed by the language
// server (djangoReadiness/checklist, refreshed on djangoReadiness/checklistChanged), plus the view's
// commands: tick/untick manual items, fix an item, export the report, the "failing only" filter.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  CHECKLIST_REQUEST,
  type ChecklistResult,
  CONFIG_SECTION,
  FIX_ITEM_REQUEST,
  type FixItemResult,
  type ProjectChecklist,
  REPORT_REQUEST,
  type ReportResult,
  SET_MANUAL_ITEM_REQUEST,
  type SetManualItemResult,
  ruleDocsUrl,
} from '../../../server/src/protocol';
import { MANUAL_FILE, type TreeNode, type ViewSummary, buildTree, flatten, summarize } from './treeModel';

export const VIEW_ID = 'djangoReadiness.checklist';

export const ChecklistCommands = {
  refresh: 'djangoReadiness.checklist.refresh',
  showFailingOnly: 'djangoReadiness.checklist.showFailingOnly',
  showAll: 'djangoReadiness.checklist.showAll',
  exportReport: 'djangoReadiness.checklist.exportReport',
  fixItem: 'djangoReadiness.checklist.fixItem',
  tickItem: 'djangoReadiness.checklist.tickItem',
  untickItem: 'djangoReadiness.checklist.untickItem',
  openManualFile: 'djangoReadiness.checklist.openManualFile',
  openRuleDocs: 'djangoReadiness.checklist.openRuleDocs',
} as const;

const CONTEXT_FAILING_ONLY = 'djangoReadiness.checklist.failingOnly';
const CONTEXT_STATE = 'djangoReadiness.checklist.state';
const FAILING_ONLY_KEY = 'djangoReadiness.checklist.failingOnly';

/** Where a command's target item is: a tree node (menus) or `{ root, id }` (API, tests, links). */
type ItemRef = TreeNode | { root: string; id: string } | undefined;

export interface ChecklistViewState extends ViewSummary {
  failingOnly: boolean;
}

function toUri(root: string, path: string): vscode.Uri {
  return vscode.Uri.joinPath(vscode.Uri.parse(root), ...path.split('/').filter((s) => s !== '' && s !== '.'));
}

function toRange(r: { start: { line: number; character: number }; end: { line: number; character: number } }): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

export class ChecklistView implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private lists: ProjectChecklist[] = [];
  private ready = false;
  private nodes: TreeNode[] = [];
  private byId = new Map<string, TreeNode>();
  private failingOnly: boolean;
  private summary: ViewSummary = { state: 'loading', failing: 0 };
  private readonly treeChanged = new vscode.EventEmitter<TreeNode | undefined | void>();
  readonly onDidChangeTreeData = this.treeChanged.event;
  private readonly checklistChanged = new vscode.EventEmitter<readonly ProjectChecklist[]>();
  /** Fires after the view took a new checklist from the server (the API's onDidChangeChecklist). */
  readonly onDidChangeChecklist = this.checklistChanged.event;
  readonly view: vscode.TreeView<TreeNode>;
  private readonly disposables: vscode.Disposable[] = [];
  /** One request at a time; a refresh asked for meanwhile runs once it is done. */
  private inFlight: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly context: vscode.ExtensionContext,
    /** The running language client, undefined while stopped. */
    private readonly clientOf: () => LanguageClient | undefined,
    private readonly output: vscode.LogOutputChannel,
    /** `djangoReadiness.enable` somewhere: without a client the server is then starting, not off. */
    private readonly enabled: () => boolean,
  ) {
    this.failingOnly = context.workspaceState.get<boolean>(FAILING_ONLY_KEY, false);
    this.view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: this, showCollapseAll: true, manageCheckboxStateManually: true });
    this.disposables.push(
      this.view,
      this.treeChanged,
      this.checklistChanged,
      this.view.onDidChangeCheckboxState((e) => void this.checkboxesChanged(e)),
      vscode.commands.registerCommand(ChecklistCommands.refresh, () => this.refresh()),
      vscode.commands.registerCommand(ChecklistCommands.showFailingOnly, () => this.setFailingOnly(true)),
      vscode.commands.registerCommand(ChecklistCommands.showAll, () => this.setFailingOnly(false)),
      vscode.commands.registerCommand(ChecklistCommands.exportReport, (format?: unknown) => this.exportReport(format === 'json' ? 'json' : 'markdown')),
      vscode.commands.registerCommand(ChecklistCommands.fixItem, (ref?: ItemRef) => this.fixItem(ref)),
      vscode.commands.registerCommand(ChecklistCommands.tickItem, (ref?: ItemRef) => this.setManual(ref, true)),
      vscode.commands.registerCommand(ChecklistCommands.untickItem, (ref?: ItemRef) => this.setManual(ref, false)),
      vscode.commands.registerCommand(ChecklistCommands.openManualFile, (ref?: ItemRef) => this.openManualFile(ref)),
      vscode.commands.registerCommand(ChecklistCommands.openRuleDocs, (node?: TreeNode) => {
        if (node?.code) void vscode.env.openExternal(vscode.Uri.parse(ruleDocsUrl(node.code)));
      }),
    );
    void vscode.commands.executeCommand('setContext', CONTEXT_FAILING_ONLY, this.failingOnly);
    this.render();
  }

  // ------------------------------------------------------------------ TreeDataProvider

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const state =
      node.children.length === 0 ? vscode.TreeItemCollapsibleState.None : node.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(node.label, state);
    item.id = node.id;
    item.description = node.description;
    if (node.tooltip) item.tooltip = new vscode.MarkdownString(node.tooltip);
    item.iconPath = new vscode.ThemeIcon(node.icon.id, node.icon.color ? new vscode.ThemeColor(node.icon.color) : undefined);
    item.contextValue = node.contextValue;
    item.accessibilityInformation = { label: node.accessibilityLabel };
    if (node.checkbox) {
      item.checkboxState = {
        state: node.checkbox.checked ? vscode.TreeItemCheckboxState.Checked : vscode.TreeItemCheckboxState.Unchecked,
        tooltip: node.checkbox.tooltip,
      };
    }
    if (node.open) {
      const options: vscode.TextDocumentShowOptions = node.open.range ? { selection: toRange(node.open.range) } : {};
      item.command = { command: 'vscode.open', title: 'Open', arguments: [toUri(node.open.root, node.open.path), options] };
    }
    return item;
  }

  getChildren(node?: TreeNode): TreeNode[] {
    return node ? node.children : this.nodes;
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parentId ? this.byId.get(node.parentId) : undefined;
  }

  // ------------------------------------------------------------------ state

  /** The checklists the view shows (as last received). */
  get checklists(): readonly ProjectChecklist[] {
    return this.lists;
  }

  /** The nodes the view shows now (filter applied). */
  get treeNodes(): TreeNode[] {
    return this.nodes;
  }

  get state(): ChecklistViewState {
    return { ...this.summary, failingOnly: this.failingOnly };
  }

  /** Asks the server for the checklists and redraws; concurrent calls collapse into one more. */
  refresh(): Promise<void> {
    if (this.inFlight) {
      this.again = true;
      return this.inFlight;
    }
    const run = async (): Promise<void> => {
      do {
        this.again = false;
        await this.fetch();
      } while (this.again);
    };
    this.inFlight = run().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async fetch(): Promise<void> {
    const client = this.clientOf();
    if (!client || !client.isRunning()) {
      this.lists = [];
      this.ready = false;
    } else {
      try {
        const result = await client.sendRequest<ChecklistResult>(CHECKLIST_REQUEST, {});
        this.lists = result.checklists;
        this.ready = result.ready;
      } catch (err) {
        this.output.warn(`checklist request failed: ${err instanceof Error ? err.message : String(err)}`);
        return;
      }
    }
    this.render();
    this.checklistChanged.fire(this.lists);
  }

  /** The server stopped or started: nothing to show until it answers. */
  clientChanged(): void {
    void this.refresh();
  }

  private render(): void {
    this.nodes = buildTree(this.lists, { failingOnly: this.failingOnly });
    this.byId = new Map(flatten(this.nodes).map((n) => [n.id, n]));
    this.summary = summarize(this.lists, { ready: this.ready, disabled: !this.clientOf() && !this.enabled(), failingOnly: this.failingOnly });
    this.view.message = this.summary.message;
    this.view.description = this.summary.description;
    this.view.badge = this.summary.badge;
    void vscode.commands.executeCommand('setContext', CONTEXT_STATE, this.summary.state);
    this.treeChanged.fire();
  }

  private async setFailingOnly(on: boolean): Promise<void> {
    this.failingOnly = on;
    await this.context.workspaceState.update(FAILING_ONLY_KEY, on);
    await vscode.commands.executeCommand('setContext', CONTEXT_FAILING_ONLY, on);
    this.render();
  }

  // ------------------------------------------------------------------ actions

  private requireClient(): LanguageClient | undefined {
    const client = this.clientOf();
    if (!client) void vscode.window.showInformationMessage(`Django Readiness is not running (${CONFIG_SECTION}.enable).`);
    return client;
  }

  /** A command's target as `{ root, id }`; without one, asks for a manual item (palette). */
  private async resolveRef(ref: ItemRef, manualOnly: boolean, target?: boolean): Promise<{ root: string; id: string } | undefined> {
    if (ref && 'kind' in ref) return ref.itemId ? { root: ref.root, id: ref.itemId } : undefined;
    if (ref && typeof ref.root === 'string' && typeof ref.id === 'string') return ref;
    if (this.lists.length === 0) await this.refresh();
    const picks = this.lists.flatMap((l) =>
      l.categories.flatMap((c) =>
        c.items
          .filter((i) => (manualOnly ? i.status === 'manual' && (target === undefined || !!i.checked !== target) : i.status === 'failing' && i.fixable))
          .map((i) => ({ label: i.title, description: this.lists.length > 1 ? `${l.name} · ${c.category}` : c.category, root: l.rootUri, id: i.id })),
      ),
    );
    if (picks.length === 0) {
      void vscode.window.showInformationMessage('Django Readiness: no checklist item to choose from.');
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(picks, { placeHolder: manualOnly ? (target ? 'Manual item to tick' : 'Manual item to untick') : 'Item to fix' });
    return pick ? { root: pick.root, id: pick.id } : undefined;
  }

  private async checkboxesChanged(e: vscode.TreeCheckboxChangeEvent<TreeNode>): Promise<void> {
    for (const [node, state] of e.items) {
      if (node.kind !== 'item' || !node.itemId) continue;
      await this.setManualItem(node.root, node.itemId, state === vscode.TreeItemCheckboxState.Checked);
    }
  }

  private async setManual(ref: ItemRef, checked: boolean): Promise<SetManualItemResult | undefined> {
    const target = await this.resolveRef(ref, true, checked);
    return target ? this.setManualItem(target.root, target.id, checked) : undefined;
  }

  /**
   * Ticks or unticks a manual item: the server edits readiness-checklist.md through an applyEdit,
   * then the file is saved (unless it had unsaved changes of the user's before), so the tick is in
   * the repository and survives a reload.
   */
  async setManualItem(root: string, id: string, checked: boolean): Promise<SetManualItemResult | undefined> {
    const client = this.requireClient();
    if (!client) return undefined;
    const rootUri = vscode.Uri.parse(root);
    const who = vscode.workspace.getConfiguration(CONFIG_SECTION, rootUri).get<string>('checklist.author', '') ?? '';
    const manualUri = vscode.Uri.joinPath(rootUri, MANUAL_FILE);
    const wasDirty = vscode.workspace.textDocuments.some((d) => d.uri.toString() === manualUri.toString() && d.isDirty);
    let result: SetManualItemResult;
    try {
      result = await client.sendRequest<SetManualItemResult>(SET_MANUAL_ITEM_REQUEST, { root, id, checked, who: who.trim() });
    } catch (err) {
      result = { applied: false, changed: false, uri: manualUri.toString(), reason: err instanceof Error ? err.message : String(err) };
    }
    if (result.applied && result.changed && !wasDirty) {
      const doc = await vscode.workspace.openTextDocument(result.uri ? vscode.Uri.parse(result.uri) : manualUri);
      if (doc.isDirty && !(await doc.save())) this.output.warn(`could not save ${doc.uri.fsPath}`);
    }
    if (!result.applied) {
      void vscode.window.showWarningMessage(`Django Readiness: could not ${checked ? 'tick' : 'untick'} "${id}": ${result.reason ?? 'the edit was not applied'}.`);
      // Put the checkbox back as the file says.
      this.render();
    }
    await this.refresh();
    return result;
  }

  async fixItem(ref: ItemRef): Promise<FixItemResult | undefined> {
    const client = this.requireClient();
    if (!client) return undefined;
    const target = await this.resolveRef(ref, false);
    if (!target) return undefined;
    const result = await client.sendRequest<FixItemResult>(FIX_ITEM_REQUEST, target);
    if (!result.applied) void vscode.window.showInformationMessage(`Django Readiness: nothing fixed for "${target.id}"${result.reason ? ` (${result.reason})` : ''}.`);
    return result;
  }

  private async openManualFile(ref: ItemRef): Promise<void> {
    const root = ref && 'root' in ref ? ref.root : this.lists[0]?.rootUri;
    if (!root) return;
    const uri = vscode.Uri.joinPath(vscode.Uri.parse(root), MANUAL_FILE);
    try {
      await vscode.window.showTextDocument(uri);
    } catch {
      void vscode.window.showInformationMessage(`Django Readiness: ${MANUAL_FILE} does not exist yet; tick a manual item to create it.`);
    }
  }

  /**
   * Writes the report (Markdown by default) to a new untitled document and offers to save it.
   * Resolves with the document (the tests read it).
   */
  async exportReport(format: 'markdown' | 'json' = 'markdown'): Promise<vscode.TextDocument | undefined> {
    const client = this.requireClient();
    if (!client) return undefined;
    const report = await client.sendRequest<ReportResult>(REPORT_REQUEST, { format });
    const doc = await vscode.workspace.openTextDocument({ language: format === 'json' ? 'json' : 'markdown', content: report.content });
    await vscode.window.showTextDocument(doc, { preview: false });
    void vscode.window.showInformationMessage('Django Readiness: the readiness report is in a new editor.', 'Save As…').then(async (choice) => {
      if (!choice) return;
      const folder = this.lists[0] ? vscode.Uri.parse(this.lists[0].folderUri) : vscode.workspace.workspaceFolders?.[0]?.uri;
      const target = await vscode.window.showSaveDialog({
        defaultUri: folder ? vscode.Uri.joinPath(folder, format === 'json' ? 'readiness-report.json' : 'readiness-report.md') : undefined,
        filters: format === 'json' ? { JSON: ['json'] } : { Markdown: ['md'] },
      });
      if (!target) return;
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(doc.getText()));
      await vscode.window.showTextDocument(target);
    });
    return doc;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

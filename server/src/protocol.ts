// Names shared by the language server and the VS Code client. Plain constants and types only, so
// both sides (and the tests) can import this file without pulling in either runtime.

/** `Diagnostic.source`, and the prefix of code-action titles. */
export const SOURCE = 'django-readiness';

/** The configuration section every setting lives under (`djangoReadiness.enable`, ...). */
export const CONFIG_SECTION = 'djangoReadiness';

/** The code-action kind of "fix all safe problems" (`editor.codeActionsOnSave`). */
export const FIX_ALL_KIND = 'source.fixAll.djangoReadiness';

export const Commands = {
  /** Server: apply every safe fix of the project of the document given as a URI argument. */
  fixAll: 'djangoReadiness.fixAll',
  /** Server: drop every cache and republish. */
  reanalyze: 'djangoReadiness.reanalyze',
  /** Client only. */
  restartServer: 'djangoReadiness.restartServer',
  /** Client only. */
  showOutput: 'djangoReadiness.showOutput',
  /** Client only: the README (the checklist view's welcome links to it). */
  openReadme: 'djangoReadiness.openReadme',
} as const;

/** Commands the server executes (`executeCommandProvider.commands`). */
export const SERVER_COMMANDS: readonly string[] = [Commands.fixAll, Commands.reanalyze];

/** Notification sent after every publish round; the client's status bar shows it. */
export const STATUS_NOTIFICATION = 'djangoReadiness/status';

export interface StatusParams {
  /** Findings currently published, over every workspace folder. */
  findings: number;
  /** Files that have at least one finding. */
  files: number;
  /** Duration of the analysis that preceded this round, in milliseconds. */
  analysisMs: number;
}

export const DOCS_BASE = 'https://github.com/django-readiness/django-readiness/blob/main/docs/rules';

export function ruleDocsUrl(id: string): string {
  return `${DOCS_BASE}/${id}.md`;
}

/** What `Diagnostic.data` carries: the rule and the Django checks (fixes are computed on request). */
export interface DiagnosticData {
  ruleId: string;
  djangoChecks: string[];
}

// ---------------------------------------------------------------------- checklist (issue #6)

/**
 * Request: the production-readiness checklist of every project in the workspace, or of the projects
 * of one folder/file (`uri`). Answered from the analysis the diagnostics already use.
 */
export const CHECKLIST_REQUEST = 'djangoReadiness/checklist';
/** Notification: the checklist of these workspace folders changed since the client last saw it. */
export const CHECKLIST_CHANGED_NOTIFICATION = 'djangoReadiness/checklistChanged';
/** Request: tick or untick a manual item in the project's `readiness-checklist.md` (workspace/applyEdit). */
export const SET_MANUAL_ITEM_REQUEST = 'djangoReadiness/setManualItem';
/** Request: apply the preferred safe fixes of one item's findings (workspace/applyEdit). */
export const FIX_ITEM_REQUEST = 'djangoReadiness/fixItem';
/** Request: the readiness report (the content `django-readiness checklist` prints). */
export const REPORT_REQUEST = 'djangoReadiness/report';

export type ChecklistStatus = 'passed' | 'failing' | 'unknown' | 'not-applicable' | 'manual';

export interface ChecklistParams {
  /** A workspace folder or file URI; absent: every folder. */
  uri?: string;
}

/** One finding of a failing item; `file` is relative to the project root, `line` 1-based. */
export interface ChecklistFindingJson {
  file: string;
  line: number;
  code: string;
  severity: 'error' | 'warning' | 'information' | 'hint';
  message: string;
  range: import('./engine/types').Range;
  /** Added by the server: the finding has a safe fix (what fixItem applies). */
  fixable?: boolean;
}

export interface ChecklistItemJson {
  id: string;
  title: string;
  kind: 'automatic' | 'manual';
  status: ChecklistStatus;
  why: string;
  rules: string[];
  reason: string | null;
  checked: boolean | null;
  checkedOn: string | null;
  checkedBy: string | null;
  /** Manual items: project-relative files suggesting it is done. */
  evidence: string[];
  findings: ChecklistFindingJson[];
  /** Added by the server: at least one finding has a safe fix. */
  fixable?: boolean;
}

export interface ChecklistCategoryJson {
  category: string;
  passed: number;
  applicable: number;
  worst: ChecklistStatus;
  items: ChecklistItemJson[];
}

/** What `checklistJson` (server/src/engine/checklist/report.ts) produces. */
export interface ChecklistJson {
  version: 1;
  root: string;
  score: number | null;
  passed: number;
  applicable: number;
  manualFile: { path: string; exists: boolean; problems: string[] };
  categories: ChecklistCategoryJson[];
}

/** One project's checklist as the server sends it: paths relative to the project root (`rootUri`). */
export interface ProjectChecklist extends ChecklistJson {
  /** The project root, as a file URI (finding and evidence paths are relative to it). */
  rootUri: string;
  /** The workspace folder holding the project. */
  folderUri: string;
  /** A label for the project: its root relative to the folder, or the folder's name. */
  name: string;
}

export interface ChecklistResult {
  checklists: ProjectChecklist[];
  /** False while a folder's analysis is still starting (a checklistChanged follows). */
  ready: boolean;
}

export interface ChecklistChangedParams {
  /** Workspace folders whose checklist changed (added, removed or different). */
  uris: string[];
}

export interface SetManualItemParams {
  /** The project root URI (`ProjectChecklist.rootUri`). */
  root: string;
  /** A manual item id (`backups`, `staging`, ...). */
  id: string;
  checked: boolean;
  /** Who ticked it (from `djangoReadiness.checklist.author`); nobody when absent or empty. */
  who?: string;
}

export interface SetManualItemResult {
  applied: boolean;
  /** False when the file already said so (nothing sent). */
  changed: boolean;
  /** The manual file's URI (the client saves it after the edit). */
  uri: string;
  reason?: string;
}

export interface FixItemParams {
  root: string;
  id: string;
}

export interface FixItemResult {
  applied: boolean;
  /** Files the edit changed. */
  files: number;
  reason?: string;
}

export interface ReportParams {
  /** A project root URI; absent: every project. */
  root?: string;
  format: 'markdown' | 'json';
}

export interface ReportResult {
  format: 'markdown' | 'json';
  content: string;
}

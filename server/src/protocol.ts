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

/** What `Diagnostic.data` carries, so code actions need no recomputation. */
export interface DiagnosticData {
  ruleId: string;
  djangoChecks: string[];
  /** The engine's fixes (absolute paths, 0-based UTF-16 ranges), first = preferred. */
  fixes: { title: string; safe: boolean; edits: { file: string; range: import('./engine/types').Range; newText: string }[] }[];
  /** Versions of the open documents the fixes edit, at the time the diagnostic was computed. */
  versions?: Record<string, number>;
}

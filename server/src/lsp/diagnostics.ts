// Engine findings → LSP diagnostics. Fixes are not in them: they are computed when a code action
// asks (engine/laterFixes.ts), from the finding the diagnostic was made of.
import type { Diagnostic } from 'vscode-languageserver';
import type { Finding, Severity } from '../engine/types';
import { type DiagnosticData, SOURCE, ruleDocsUrl } from '../protocol';

// Required, not imported: see server.ts.
const { DiagnosticSeverity } = require('vscode-languageserver') as typeof import('vscode-languageserver');

const SEVERITY: Record<Severity, NonNullable<Diagnostic['severity']>> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export interface DiagnosticContext {
  /** The URI to report a path under (the open document's URI when there is one). */
  uriOf(path: string): string;
}

/** The diagnostic's message: the finding's, with the Django checks it mirrors. */
export function diagnosticMessage(f: Finding): string {
  return f.djangoChecks.length > 0 ? `${f.message} [${f.djangoChecks.join(', ')}]` : f.message;
}

export function toDiagnostic(f: Finding, ctx: DiagnosticContext): Diagnostic {
  const data: DiagnosticData = { ruleId: f.code, djangoChecks: f.djangoChecks };
  const d: Diagnostic = {
    range: f.range,
    severity: SEVERITY[f.severity],
    code: f.code,
    codeDescription: { href: ruleDocsUrl(f.code) },
    source: SOURCE,
    message: diagnosticMessage(f),
    data,
  };
  if (f.related?.length) {
    d.relatedInformation = f.related.map((r) => ({ location: { uri: ctx.uriOf(r.location.file), range: r.location.range }, message: r.message }));
  }
  return d;
}

/** The data of one of our diagnostics, or undefined for anyone else's (or a malformed one). */
export function diagnosticData(d: Diagnostic): DiagnosticData | undefined {
  if (d.source !== SOURCE) return undefined;
  const data = d.data as Partial<DiagnosticData> | undefined;
  if (!data || typeof data.ruleId !== 'string') return undefined;
  return { ruleId: data.ruleId, djangoChecks: Array.isArray(data.djangoChecks) ? data.djangoChecks : [] };
}

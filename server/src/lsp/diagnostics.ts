// Engine findings → LSP diagnostics. The fixes travel in `data`, so code actions only read them.
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
  /** The version of the open document at `path`, if it is open. */
  versionOf(path: string): number | undefined;
}

export function toDiagnostic(f: Finding, ctx: DiagnosticContext): Diagnostic {
  const versions: Record<string, number> = {};
  for (const fix of f.fixes) {
    for (const e of fix.edits) {
      const v = ctx.versionOf(e.file);
      if (v !== undefined) versions[e.file] = v;
    }
  }
  const data: DiagnosticData = {
    ruleId: f.code,
    djangoChecks: f.djangoChecks,
    fixes: f.fixes.map((x) => ({ title: x.title, safe: x.safe, edits: x.edits.map((e) => ({ file: e.file, range: e.range, newText: e.newText })) })),
  };
  if (Object.keys(versions).length > 0) data.versions = versions;
  const d: Diagnostic = {
    range: f.range,
    severity: SEVERITY[f.severity],
    code: f.code,
    codeDescription: { href: ruleDocsUrl(f.code) },
    source: SOURCE,
    message: f.djangoChecks.length > 0 ? `${f.message} [${f.djangoChecks.join(', ')}]` : f.message,
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
  if (!data || typeof data.ruleId !== 'string' || !Array.isArray(data.fixes)) return undefined;
  return { ruleId: data.ruleId, djangoChecks: Array.isArray(data.djangoChecks) ? data.djangoChecks : [], fixes: data.fixes, versions: data.versions };
}

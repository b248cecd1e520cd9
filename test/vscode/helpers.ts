// Event-driven waits over the public `vscode` API (no fixed sleeps).
import * as vscode from 'vscode';

export function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return typeof c === 'object' ? String(c.value) : String(c);
}

export function describeDiagnostics(ds: readonly vscode.Diagnostic[]): string {
  if (ds.length === 0) return '(none)';
  return ds
    .map((d) => `${d.source ?? '?'} ${codeOf(d) ?? '?'} L${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`)
    .join('\n  ');
}

/**
 * Resolves with the diagnostics of `uri` as soon as `predicate` holds for them, checking now and
 * on every `onDidChangeDiagnostics` for that URI; rejects after `timeoutMs` with what was there.
 */
export function waitForDiagnostics(
  uri: vscode.Uri,
  predicate: (ds: readonly vscode.Diagnostic[]) => boolean,
  timeoutMs: number,
  what: string,
): Promise<readonly vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (fn: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sub.dispose();
      fn();
    };
    const check = () => {
      const ds = vscode.languages.getDiagnostics(uri);
      if (predicate(ds)) finish(() => resolve(ds));
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(
            new Error(
              `timed out after ${timeoutMs} ms waiting for ${what} in ${uri.fsPath}; diagnostics now:\n  ${describeDiagnostics(
                vscode.languages.getDiagnostics(uri),
              )}`,
            ),
          ),
        ),
      timeoutMs,
    );
    check();
  });
}

/**
 * Re-evaluates `probe` until it returns a value or `timeoutMs` passes. For state that has no change
 * event (e.g. commands a language client registers after the server's initialize answer).
 */
export async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let delay = 50;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 500);
  }
}

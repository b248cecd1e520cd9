// What the status bar item says. Pure (no `vscode` import) so it is unit-tested without an editor.
import type { StatusParams } from '../../server/src/protocol';

export interface StatusView {
  text: string;
  tooltip: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function statusView(s: StatusParams | undefined): StatusView {
  if (!s) return { text: '$(checklist) Django: …', tooltip: 'Django Readiness: analysing the workspace…' };
  const where = s.findings === 0 ? 'no production-readiness problems found' : `${plural(s.findings, 'production-readiness problem')} in ${plural(s.files, 'file')}`;
  return {
    text: `$(checklist) Django: ${s.findings}`,
    tooltip: `Django Readiness: ${where} (last analysis ${Math.round(s.analysisMs)} ms).\nClick to open the Problems view.`,
  };
}

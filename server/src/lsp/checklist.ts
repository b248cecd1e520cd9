// The checklist over the protocol: the engine's checklist model as the JSON the CLI prints (paths
// relative to the project root), plus what the editor needs on top (URIs, which findings have a safe
// fix), and the text edits of the manual-items file. No LSP connection here, so it is unit-testable.
import { basename, relative } from 'node:path';
import { ITEMS } from '../engine/checklist/items';
import { MANUAL_FILE, parseManualFile, tickItem, untickItem } from '../engine/checklist/manualFile';
import type { Checklist } from '../engine/checklist/model';
import { checklistJson } from '../engine/checklist/report';
import type { ChecklistJson, ProjectChecklist } from '../protocol';

export function isManualFile(path: string): boolean {
  return basename(path) === MANUAL_FILE;
}

/** `checklistJson` of one project, with URIs and the safe-fix flags the view's "Fix" action needs. */
export function projectChecklist(list: Checklist, folder: { uri: string; name: string; root: string }, toUri: (path: string) => string): ProjectChecklist {
  const json = checklistJson(list, list.root) as ChecklistJson;
  // checklistJson maps categories, entries and findings in order: zip them with the model.
  list.categories.forEach((c, ci) => {
    c.entries.forEach((e, ei) => {
      const item = json.categories[ci]!.items[ei]!;
      e.findings.forEach((f, fi) => {
        item.findings[fi]!.fixable = f.fixes.some((x) => x.safe && x.edits.length > 0);
      });
      item.fixable = item.findings.some((f) => f.fixable);
    });
  });
  const rel = relative(folder.root, list.root).split('\\').join('/');
  return { ...json, rootUri: toUri(list.root), folderUri: folder.uri, name: rel === '' ? folder.name : rel };
}

/** Today as YYYY-MM-DD in local time (what a person ticking the item would write). */
export function todayIso(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}

/** A name fit for the `(date, who)` suffix: no parentheses or line breaks, trimmed. */
export function cleanAuthor(who: string | undefined): string | undefined {
  const s = (who ?? '').replace(/[()\r\n]/g, ' ').replace(/\s+/g, ' ').trim();
  return s === '' ? undefined : s;
}

export type ManualEditOutcome = { ok: true; text: string | undefined } | { ok: false; reason: string };

/** The manual file's new text after (un)ticking `id`; `text` undefined means the file is missing. */
export function manualFileText(current: string | undefined, id: string, checked: boolean, date: string, who?: string): ManualEditOutcome {
  const item = ITEMS.find((i) => i.id === id);
  if (!item) return { ok: false, reason: `"${id}" is not a checklist item` };
  if (item.kind !== 'manual') return { ok: false, reason: `"${id}" is decided by the analysis, not ticked by hand` };
  if (checked) {
    // Already ticked: keep who and when of the first confirmation.
    const manualIds = new Set(ITEMS.filter((i) => i.kind === 'manual').map((i) => i.id));
    if (parseManualFile(current, manualIds).entries.has(id)) return { ok: true, text: current };
    return { ok: true, text: tickItem(current, id, item.title, date, cleanAuthor(who)) };
  }
  return { ok: true, text: untickItem(current, id) };
}

// Manual checklist items are confirmed by the team in a small Markdown file at the project root,
// `readiness-checklist.md`, so the state is reviewed in pull requests like code:
//
//   - [x] backups: Automated backups run and a restore was tested (2026-11-21, alice)
//
// One line per ticked item: the item id before the colon decides; the title, date and name are for
// people. Any other line (headings, notes, unknown ids) is kept as written when the file is updated.
// Unticking removes the item's line. A malformed line is reported, never dropped.

export const MANUAL_FILE = 'readiness-checklist.md';

const HEADER = `# Production readiness: manual checks

Items of the django-readiness checklist that no analysis can prove, confirmed by the team.
One line per item: \`- [x] <item id>: <title> (<date>, <who>)\`. Remove a line to untick it.

`;

export interface ManualEntry {
  id: string;
  date?: string;
  who?: string;
  /** 0-based line in the file. */
  line: number;
}

export interface ManualState {
  entries: Map<string, ManualEntry>;
  problems: { line: number; message: string }[];
}

const ITEM_LINE = /^\s*[-*]\s*\[([ xX])\]\s*([a-z0-9][a-z0-9-]*)\s*:?(.*)$/;
const META = /\((\d{4}-\d{2}-\d{2})(?:,\s*([^)]*))?\)\s*$/;

export function parseManualFile(text: string | undefined, knownIds: Set<string>): ManualState {
  const state: ManualState = { entries: new Map(), problems: [] };
  if (text === undefined) return state;
  text.split(/\r?\n/).forEach((raw, line) => {
    if (!/^\s*[-*]\s*\[/.test(raw)) return;
    const m = ITEM_LINE.exec(raw);
    if (!m) {
      state.problems.push({ line, message: `line ${line + 1} is not "- [x] <item id>: <title> (<date>, <who>)"` });
      return;
    }
    const id = m[2]!;
    if (!knownIds.has(id)) {
      state.problems.push({ line, message: `line ${line + 1}: "${id}" is not a manual checklist item` });
      return;
    }
    if (m[1] === ' ') return;
    const meta = META.exec(m[3] ?? '');
    state.entries.set(id, { id, date: meta?.[1], who: meta?.[2]?.trim() || undefined, line });
  });
  return state;
}

/** The file's text with the item ticked (its line added or replaced). */
export function tickItem(text: string | undefined, id: string, title: string, date: string, who?: string): string {
  const line = `- [x] ${id}: ${title} (${date}${who ? `, ${who}` : ''})`;
  const base = text ?? HEADER;
  const lines = base.split('\n');
  const index = lines.findIndex((l) => ITEM_LINE.exec(l)?.[2] === id);
  if (index >= 0) {
    lines[index] = line;
    return lines.join('\n');
  }
  const body = base.endsWith('\n') || base === '' ? base : base + '\n';
  return body + line + '\n';
}

/** The file's text without the item's line; unchanged when it was not ticked. */
export function untickItem(text: string | undefined, id: string): string | undefined {
  if (text === undefined) return undefined;
  const lines = text.split('\n');
  const kept = lines.filter((l) => ITEM_LINE.exec(l)?.[2] !== id);
  return kept.length === lines.length ? text : kept.join('\n');
}

import { appendEntries, quoteOf } from '../../fixes/dictEdit';
import type { Setting } from '../../settings/profile';
import { dictGetStr } from '../../settings/value';
import type { Fix, Location, TextEdit } from '../../types';
import { DEFAULT_FILE_STORAGE, DEFAULT_STATIC_STORAGE } from '../ops/blocks';
import { dictAt, styled, versionAtLeast } from '../ops/support';
import type { SettingsContext, SettingsRule } from '../types';

const LEGACY: Record<string, { alias: string; fallback: string }> = {
  DEFAULT_FILE_STORAGE: { alias: 'default', fallback: DEFAULT_FILE_STORAGE },
  STATICFILES_STORAGE: { alias: 'staticfiles', fallback: DEFAULT_STATIC_STORAGE },
};

function sourceText(ctx: SettingsContext, loc: Location): string | undefined {
  const root = ctx.edit.rootOf(loc.file);
  if (!root) return undefined;
  const lines = root.text.split('\n');
  const { start, end } = loc.range;
  if (start.line === end.line) return lines[start.line]?.slice(start.character, end.character);
  return [lines[start.line]!.slice(start.character), ...lines.slice(start.line + 1, end.line), lines[end.line]!.slice(0, end.character)].join('\n');
}

/** Delete a statement, leaving `pass` when it is alone in its block. */
function removeStatement(ctx: SettingsContext, stmt: Location): TextEdit {
  const root = ctx.edit.rootOf(stmt.file)!;
  let cur: import('../../parsing/syntax').SyntaxNode | null = root.descendantForPosition({ row: stmt.range.start.line, column: stmt.range.start.character });
  while (cur && cur.parent && cur.parent.type !== 'block' && cur.parent.type !== 'module') cur = cur.parent;
  const block = cur?.parent;
  if (block?.type === 'block' && block.namedChildren.filter((c) => c?.type !== 'comment').length === 1) return { ...stmt, newText: 'pass' };
  return ctx.edit.deleteStatement(stmt);
}

/** Move the legacy settings into STORAGES (spec Q10), carrying their values over. */
function migrateFix(ctx: SettingsContext, legacy: Setting[]): Fix[] {
  const stmts = legacy.map((s) => s.binding?.stmt);
  const rhss = legacy.map((s) => s.binding?.rhs);
  if (stmts.some((s) => !s) || rhss.some((r) => !r)) return [];
  const values = new Map<string, string>();
  legacy.forEach((s, i) => {
    const text = sourceText(ctx, rhss[i]!);
    if (text !== undefined) values.set(LEGACY[s.name]!.alias, text);
  });
  if (values.size !== legacy.length) return [];
  const storages = ctx.setting('STORAGES');
  const edits: TextEdit[] = [];
  if (!storages.isDefault) {
    const dict = dictAt(ctx, storages.value.src);
    if (!dict || storages.value.kind !== 'dict') return [];
    const q = quoteOf(dict);
    const entries = [...values].filter(([alias]) => !dictGetStr(storages.value, alias)).map(([alias, text]) => `${q}${alias}${q}: {${q}BACKEND${q}: ${text}}`);
    edits.push(...appendEntries(storages.value.src!.file, dict, entries));
    for (const stmt of stmts) edits.push(removeStatement(ctx, stmt!));
  } else {
    const first = stmts.reduce((a, b) => (a!.range.start.line <= b!.range.start.line && a!.file === b!.file ? a : b))!;
    if (stmts.some((s) => s!.file !== first.file)) return [];
    const indent = ' '.repeat(first.range.start.character);
    const line = (alias: string) => `    "${alias}": {"BACKEND": ${values.get(alias) ?? `"${alias === 'default' ? DEFAULT_FILE_STORAGE : DEFAULT_STATIC_STORAGE}"`}},`;
    const block = styled(ctx, ['STORAGES = {', line('default'), line('staticfiles'), '}']).join('\n' + indent);
    edits.push({ ...first, newText: block });
    for (const stmt of stmts) if (stmt !== first) edits.push(removeStatement(ctx, stmt!));
  }
  return edits.length ? [{ title: 'Move to STORAGES', edits, safe: true }] : [];
}

export const rule: SettingsRule = {
  id: 'DJ-OPS-023',
  name: 'legacy-storage-settings',
  family: 'settings',
  summary: 'STATICFILES_STORAGE / DEFAULT_FILE_STORAGE are deprecated (Django 4.2) or removed (5.1)',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `Django 4.2 replaced \`DEFAULT_FILE_STORAGE\` and \`STATICFILES_STORAGE\` with \`STORAGES\`; from Django 5.1
they are ignored, so media silently go back to the local disk and static files lose their hashed
names (Error). Setting either together with \`STORAGES\` makes Django 4.2–5.0 refuse to start
(ImproperlyConfigured). The fix moves their values into \`STORAGES\`.

Before:
\`\`\`python
STATICFILES_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
\`\`\`
After:
\`\`\`python
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
\`\`\``,
  check(ctx) {
    if (!versionAtLeast(ctx, 4, 2)) return;
    const legacy = Object.keys(LEGACY).map((n) => ctx.setting(n)).filter((s) => !s.isDefault);
    if (legacy.length === 0) return;
    const both = !ctx.setting('STORAGES').isDefault;
    const removed = versionAtLeast(ctx, 5, 1);
    const fixes = migrateFix(ctx, legacy);
    for (const s of legacy) {
      const message = removed
        ? `${s.name} was removed in Django 5.1 and is ignored: ${both ? 'only STORAGES counts' : `production uses the default ${LEGACY[s.name]!.alias} storage`}`
        : both
          ? `${s.name} and STORAGES are both set: Django refuses to start (ImproperlyConfigured)`
          : `${s.name} is deprecated since Django 4.2 and ignored from 5.1: move it into STORAGES`;
      ctx.report({ setting: s, severity: removed || both ? 'error' : 'warning', message, fixes });
    }
  },
};

// The checklist over the protocol: djangoReadiness/checklist, the checklistChanged notification after
// publish rounds, setManualItem (readiness-checklist.md through workspace/applyEdit), fixItem and
// the report. Every wait is for a message, never for a fixed time.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type ClientCapabilities, DidSaveTextDocumentNotification, FileChangeType, NotificationType, type TextDocumentEdit, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver-protocol';
import { writeProject } from '../helpers/engine';
import { FAST_CONFIG, LspTestClient, PROJECT_FILES, applyTextEdits, editsByUri, uriOf } from './harness';
import {
  CHECKLIST_CHANGED_NOTIFICATION,
  CHECKLIST_REQUEST,
  type ChecklistChangedParams,
  type ChecklistItemJson,
  type ChecklistResult,
  FIX_ITEM_REQUEST,
  type FixItemResult,
  type ProjectChecklist,
  REPORT_REQUEST,
  type ReportResult,
  SET_MANUAL_ITEM_REQUEST,
  type SetManualItemResult,
} from '../../server/src/protocol';
import { todayIso } from '../../server/src/lsp/checklist';

const CAPABILITIES: ClientCapabilities = {
  workspace: {
    configuration: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
    workspaceFolders: true,
    applyEdit: true,
    workspaceEdit: { documentChanges: true, resourceOperations: ['create'] },
  },
  textDocument: {
    synchronization: { didSave: true, dynamicRegistration: true },
    publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
  },
};

/** Records checklistChanged notifications and lets a test wait for the next one. */
class ChecklistWatcher {
  readonly received: ChecklistChangedParams[] = [];
  private waiters: ((p: ChecklistChangedParams) => void)[] = [];
  constructor(private readonly client: LspTestClient) {
    client.connection.onNotification(new NotificationType<ChecklistChangedParams>(CHECKLIST_CHANGED_NOTIFICATION), (p) => {
      this.received.push(p);
      const waiters = this.waiters;
      this.waiters = [];
      for (const w of waiters) w(p);
    });
  }
  /** The next notification (call before causing it). */
  next(what = CHECKLIST_CHANGED_NOTIFICATION): Promise<ChecklistChangedParams> {
    return this.client.withTimeout(new Promise((resolve) => this.waiters.push(resolve)), what);
  }
  /** Re-requests after every notification until `match` holds for the checklist. */
  async until(match: (c: ProjectChecklist) => boolean, what: string): Promise<ProjectChecklist> {
    for (;;) {
      const next = this.next(what);
      const [c] = (await checklist(this.client)).checklists;
      if (c && match(c)) return c;
      await next;
    }
  }
}

function checklist(client: LspTestClient, uri?: string): Promise<ChecklistResult> {
  return client.withTimeout(client.connection.sendRequest(CHECKLIST_REQUEST, uri ? { uri } : {}), CHECKLIST_REQUEST) as Promise<ChecklistResult>;
}

const items = (c: ProjectChecklist): ChecklistItemJson[] => c.categories.flatMap((x) => x.items);
const item = (c: ProjectChecklist, id: string): ChecklistItemJson => {
  const i = items(c).find((x) => x.id === id);
  assert.ok(i, `item ${id}`);
  return i;
};

async function start(t: { after(fn: () => void): void }, extra: Record<string, string> = {}, config: Record<string, unknown> = FAST_CONFIG) {
  const dir = writeProject({ ...PROJECT_FILES, ...extra });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const client = await LspTestClient.start({ folders: [dir], config, capabilities: CAPABILITIES });
  t.after(() => client.kill());
  const watcher = new ChecklistWatcher(client);
  // The first publish round (production.py is never opened) means the analysis has run.
  await client.diagnosticsFor(uriOf(join(dir, 'proj/settings/production.py')), (d) => d.length > 0);
  const first = await checklist(client);
  assert.equal(first.ready, true);
  assert.equal(first.checklists.length, 1);
  return { dir, client, watcher, list: first.checklists[0]!, base: join(dir, 'proj/settings/base.py'), manual: join(dir, 'readiness-checklist.md') };
}

/** The single text document edit of a WorkspaceEdit for `uri`, and whether a CreateFile precedes it. */
function manualEdit(edit: WorkspaceEdit, uri: string): { created: boolean; edit: { version: number | null; edits: TextEdit[] } } {
  const changes = edit.documentChanges ?? [];
  const created = changes.some((c) => 'kind' in c && c.kind === 'create' && c.uri === uri);
  const docEdit = changes.find((c): c is TextDocumentEdit => 'textDocument' in c && c.textDocument.uri === uri);
  assert.ok(docEdit, `an edit of ${uri}`);
  return { created, edit: { version: docEdit.textDocument.version, edits: docEdit.edits as TextEdit[] } };
}

test('the checklist request returns every category and item, findings relative to the project root', async (t) => {
  const { dir, client, list } = await start(t);
  assert.equal(list.rootUri, uriOf(dir));
  assert.equal(list.folderUri, uriOf(dir));
  assert.equal(list.root, '.');
  assert.equal(list.manualFile.path, 'readiness-checklist.md');
  assert.equal(list.manualFile.exists, false);
  assert.equal(list.categories.length, 10);
  const debug = item(list, 'debug-off');
  assert.equal(debug.status, 'failing');
  assert.deepEqual(debug.findings.map((f) => [f.code, f.file, f.line]), [['DJ-SEC-001', 'proj/settings/base.py', 4]]);
  assert.equal(debug.findings[0]!.fixable, true);
  assert.equal(debug.fixable, true);
  assert.equal(item(list, 'backups').status, 'manual');
  assert.equal(item(list, 'backups').checked, false);
  // Counts agree with the items.
  for (const c of list.categories) {
    const applicable = c.items.filter((i) => i.status !== 'not-applicable');
    assert.equal(c.applicable, applicable.length, c.category);
    assert.equal(c.passed, applicable.filter((i) => i.status === 'passed' || (i.status === 'manual' && i.checked)).length, c.category);
  }
  // Every failing item's findings are exactly the published diagnostics of its rules (hints aside).
  for (const i of items(list).filter((x) => x.status === 'failing')) {
    const published = [...client.diagnostics.values()].flatMap((p) =>
      p.diagnostics.filter((d) => i.rules.includes(String(d.code)) && d.severity !== 4).map((d) => `${d.code}@${fileURLToPath(p.uri).slice(dir.length + 1)}:${d.range.start.line + 1}`),
    );
    assert.deepEqual(i.findings.map((f) => `${f.code}@${f.file}:${f.line}`).sort(), published.sort(), i.id);
  }
  // A file URI selects its project; a URI outside every folder selects nothing.
  assert.equal((await checklist(client, uriOf(join(dir, 'proj/settings/base.py')))).checklists.length, 1);
  assert.equal((await checklist(client, 'file:///nowhere/else')).checklists.length, 0);
  assert.equal(await client.shutdown(), 0);
});

test('an edit that fixes a finding flips its item to passed: checklistChanged follows the publish round', async (t) => {
  const { client, watcher, base } = await start(t);
  await client.open(base);
  const changed = watcher.next('checklistChanged after DEBUG = False');
  await client.change(base, [{ range: { start: { line: 3, character: 8 }, end: { line: 3, character: 12 } }, text: 'False' }]);
  const note = await changed;
  assert.equal(note.uris.length, 1);
  const [after] = (await checklist(client)).checklists;
  assert.equal(item(after!, 'debug-off').status, 'passed');
  assert.deepEqual(item(after!, 'debug-off').findings, []);
  // A round that changes nothing in the checklist sends nothing: a comment, then the next real change.
  const count = watcher.received.length;
  const status = client.nextStatus();
  await client.change(base, [{ range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }, text: '# a comment\n' }]);
  await status;
  assert.equal(watcher.received.length, count, 'no notification for an unchanged checklist');
  const back = watcher.next('checklistChanged after DEBUG = True');
  await client.change(base, [{ range: { start: { line: 3, character: 8 }, end: { line: 3, character: 13 } }, text: 'True' }]);
  await back;
  assert.equal(item((await checklist(client)).checklists[0]!, 'debug-off').status, 'failing');
  assert.equal(await client.shutdown(), 0);
});

test('setManualItem ticks through workspace/applyEdit (creating the file), unticks, keeps other lines', async (t) => {
  const { dir, client, watcher, manual } = await start(t);
  const root = uriOf(dir);
  const tick = (await client.withTimeout(client.connection.sendRequest(SET_MANUAL_ITEM_REQUEST, { root, id: 'backups', checked: true, who: 'alice (ops)' }), 'tick')) as SetManualItemResult;
  assert.deepEqual(tick, { applied: true, changed: true, uri: uriOf(manual) });
  assert.equal(client.appliedEdits.length, 1);
  assert.equal(client.appliedEdits[0]!.label, 'django-readiness: tick backups');
  const { created, edit } = manualEdit(client.appliedEdits[0]!.edit, uriOf(manual));
  assert.equal(created, true, 'a CreateFile precedes the text of a new file');
  const text = applyTextEdits('', edit.edits);
  const line = `- [x] backups: Automated backups run and a restore was tested (${todayIso()}, alice ops)`;
  assert.match(text, /^# Production readiness: manual checks\n/);
  assert.equal(text.split('\n').at(-2), line);
  assert.ok(text.endsWith('\n'));

  // Play the editor: the file is written and the watcher reports it.
  writeFileSync(manual, text + 'Notes the team keeps.\n');
  const seen = watcher.next('checklistChanged after the file was written');
  await client.filesChanged([{ uri: uriOf(manual), type: FileChangeType.Created }]);
  await seen;
  let list = (await checklist(client)).checklists[0]!;
  assert.equal(item(list, 'backups').checked, true);
  assert.equal(item(list, 'backups').checkedBy, 'alice ops');
  assert.equal(item(list, 'backups').checkedOn, todayIso());
  assert.equal(list.manualFile.exists, true);

  // Ticking it again changes nothing (who and when of the first confirmation stay).
  const again = (await client.connection.sendRequest(SET_MANUAL_ITEM_REQUEST, { root, id: 'backups', checked: true, who: 'bob' })) as SetManualItemResult;
  assert.equal(again.changed, false);
  assert.equal(client.appliedEdits.length, 1);

  // Open the file in the "editor": the buffer is what counts from now on. No `who`: the setting's name.
  await client.open(manual, 'markdown');
  const tick2 = (await client.connection.sendRequest(SET_MANUAL_ITEM_REQUEST, { root, id: 'staging', checked: true })) as SetManualItemResult;
  assert.equal(tick2.applied, true);
  const second = manualEdit(client.appliedEdits[1]!.edit, uriOf(manual));
  assert.equal(second.created, false);
  assert.equal(second.edit.version, 1, 'pinned to the open buffer');
  const ticked = watcher.next('checklistChanged after the buffer changed');
  await client.applyEdits(manual, second.edit.edits);
  await ticked;
  assert.match(client.text(manual), /^- \[x\] staging: A staging environment mirrors production \(\d{4}-\d{2}-\d{2}\)$/m);
  assert.match(client.text(manual), /Notes the team keeps\./);
  list = (await checklist(client)).checklists[0]!;
  assert.equal(item(list, 'staging').checked, true);
  assert.equal(item(list, 'staging').checkedBy, null);

  // Untick: the line goes, everything else stays.
  const untick = (await client.connection.sendRequest(SET_MANUAL_ITEM_REQUEST, { root, id: 'backups', checked: false })) as SetManualItemResult;
  assert.equal(untick.changed, true);
  const third = manualEdit(client.appliedEdits[2]!.edit, uriOf(manual));
  assert.equal(client.appliedEdits[2]!.label, 'django-readiness: untick backups');
  const unticked = watcher.next('checklistChanged after unticking');
  await client.applyEdits(manual, third.edit.edits);
  await unticked;
  assert.doesNotMatch(client.text(manual), /backups/);
  assert.match(client.text(manual), /staging/);
  assert.match(client.text(manual), /Notes the team keeps\./);
  assert.equal(item((await checklist(client)).checklists[0]!, 'backups').checked, false);

  // Automatic and unknown items cannot be ticked.
  const bad = (await client.connection.sendRequest(SET_MANUAL_ITEM_REQUEST, { root, id: 'debug-off', checked: true })) as SetManualItemResult;
  assert.equal(bad.applied, false);
  assert.match(bad.reason!, /decided by the analysis/);
  const unknown = (await client.connection.sendRequest(SET_MANUAL_ITEM_REQUEST, { root: uriOf('/nowhere'), id: 'backups', checked: true })) as SetManualItemResult;
  assert.equal(unknown.applied, false);
  assert.equal(client.appliedEdits.length, 3);
  assert.equal(await client.shutdown(), 0);
});

test('the author setting names who ticked when the client sends nobody', async (t) => {
  const { dir, client } = await start(t, {}, { ...FAST_CONFIG, checklist: { author: 'Carol' } });
  await client.connection.sendRequest(SET_MANUAL_ITEM_REQUEST, { root: uriOf(dir), id: 'tests', checked: true });
  const { edit } = manualEdit(client.appliedEdits[0]!.edit, uriOf(join(dir, 'readiness-checklist.md')));
  assert.match(applyTextEdits('', edit.edits), /- \[x\] tests: .* \(\d{4}-\d{2}-\d{2}, Carol\)\n$/);
  assert.equal(await client.shutdown(), 0);
});

test('the checklist follows the published analysis: with run = onSave an unsaved fix waits, a tick does not', async (t) => {
  const { client, watcher, base, manual } = await start(t, {}, { ...FAST_CONFIG, run: 'onSave' });
  await client.open(base);
  await client.change(base, [{ range: { start: { line: 3, character: 8 }, end: { line: 3, character: 12 } }, text: 'False' }]);
  // The manual file's buffer changes: the view must show the tick now, from the analysis published so far.
  const ticked = watcher.next('checklistChanged after the manual buffer changed');
  await client.open(manual, 'markdown', '- [x] backups: Automated backups (2026-11-20, erin)\n');
  await ticked;
  let list = (await checklist(client)).checklists[0]!;
  assert.equal(item(list, 'backups').checkedBy, 'erin');
  assert.equal(item(list, 'debug-off').status, 'failing', 'the unsaved edit is not analysed before the save');
  assert.deepEqual(item(list, 'debug-off').findings.map((f) => f.code), ['DJ-SEC-001']);
  // Saving runs the analysis: diagnostics and checklist move together.
  const saved = watcher.next('checklistChanged after the save');
  await client.connection.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri: uriOf(base) } });
  await saved;
  list = (await checklist(client)).checklists[0]!;
  assert.equal(item(list, 'debug-off').status, 'passed');
  // Closing the unsaved manual buffer goes back to the disk (no file: nothing ticked).
  const closed = watcher.next('checklistChanged after closing the manual buffer');
  await client.close(manual);
  await closed;
  assert.equal(item((await checklist(client)).checklists[0]!, 'backups').checked, false);
  assert.equal(await client.shutdown(), 0);
});

test('a malformed manual file is reported in the checklist and kept intact when ticking', async (t) => {
  const broken = '# Our checks\n- [x]\n- [x] no-such-item: what\n- [x] backups: done (2026-01-02, dan)\n';
  const { dir, client, list, manual } = await start(t, { 'readiness-checklist.md': broken });
  assert.equal(list.manualFile.exists, true);
  assert.equal(list.manualFile.problems.length, 2);
  assert.equal(item(list, 'backups').checked, true);
  assert.equal(item(list, 'backups').checkedBy, 'dan');
  const r = (await client.connection.sendRequest(SET_MANUAL_ITEM_REQUEST, { root: uriOf(dir), id: 'rollback', checked: true, who: '' })) as SetManualItemResult;
  assert.equal(r.applied, true);
  const { created, edit } = manualEdit(client.appliedEdits[0]!.edit, uriOf(manual));
  assert.equal(created, false);
  const text = applyTextEdits(readFileSync(manual, 'utf8'), edit.edits);
  assert.ok(text.startsWith(broken), 'every existing line is kept');
  assert.match(text, /- \[x\] rollback: .* \(\d{4}-\d{2}-\d{2}\)\n$/);
  assert.equal(await client.shutdown(), 0);
});

test('fixItem applies the safe fixes of one item only; its item flips to passed', async (t) => {
  const { dir, client, watcher, list, base } = await start(t);
  const csrf = item(list, 'csrf');
  assert.equal(csrf.status, 'failing');
  assert.ok(csrf.findings.every((f) => f.fixable), 'every csrf finding has a safe fix');
  await client.open(base);
  const r = (await client.withTimeout(client.connection.sendRequest(FIX_ITEM_REQUEST, { root: uriOf(dir), id: 'csrf' }), 'fixItem')) as FixItemResult;
  assert.deepEqual(r, { applied: true, files: 1 });
  const applied = client.appliedEdits.at(-1)!;
  assert.equal(applied.label, 'django-readiness: fix csrf');
  const edits = editsByUri(applied.edit);
  assert.deepEqual([...edits.keys()], [uriOf(base)]);
  const newBase = applyTextEdits(client.text(base), edits.get(uriOf(base))!.edits);
  assert.match(newBase, /CsrfViewMiddleware/);
  assert.doesNotMatch(newBase, /XFrameOptionsMiddleware/, 'the other item (security headers) is left alone');
  assert.match(newBase, /DEBUG = True/);
  const flipped = watcher.until((c) => item(c, 'csrf').status === 'passed', 'csrf passed');
  await client.applyEdits(base, edits.get(uriOf(base))!.edits);
  const after = await flipped;
  assert.equal(item(after, 'security-headers').status, 'failing');
  assert.equal(item(after, 'debug-off').status, 'failing');
  // Nothing left to fix, an unknown item, a manual item.
  assert.equal(((await client.connection.sendRequest(FIX_ITEM_REQUEST, { root: uriOf(dir), id: 'csrf' })) as FixItemResult).applied, false);
  assert.equal(((await client.connection.sendRequest(FIX_ITEM_REQUEST, { root: uriOf(dir), id: 'nope' })) as FixItemResult).applied, false);
  assert.equal(((await client.connection.sendRequest(FIX_ITEM_REQUEST, { root: uriOf(dir), id: 'backups' })) as FixItemResult).applied, false);
  assert.equal(await client.shutdown(), 0);
});

test('the report request returns the markdown and json of the CLI', async (t) => {
  const { dir, client, list } = await start(t);
  const md = (await client.connection.sendRequest(REPORT_REQUEST, { root: uriOf(dir), format: 'markdown' })) as ReportResult;
  assert.equal(md.format, 'markdown');
  assert.match(md.content, /^# Production readiness: folder0\n/);
  assert.match(md.content, new RegExp(`\\*\\*Score: ${list.score}%\\*\\* \\(${list.passed} of ${list.applicable} applicable items pass\\)`));
  assert.match(md.content, /`proj\/settings\/base\.py:4` DJ-SEC-001/);
  const json = (await client.connection.sendRequest(REPORT_REQUEST, { format: 'json' })) as ReportResult;
  const parsed = JSON.parse(json.content) as ProjectChecklist;
  assert.equal(parsed.score, list.score);
  assert.equal(parsed.categories.length, list.categories.length);
  assert.equal(await client.shutdown(), 0);
});

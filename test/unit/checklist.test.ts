import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { ITEMS, CATEGORIES } from '../../server/src/engine/checklist/items';
import { parseManualFile, tickItem, untickItem } from '../../server/src/engine/checklist/manualFile';
import { buildChecklist } from '../../server/src/engine/checklist/model';
import { RULES } from '../../server/src/engine/rules/index';
import { analyzeDir, REPO_ROOT, writeProject } from '../helpers/engine';

const MANUAL_IDS = new Set(ITEMS.filter((i) => i.kind === 'manual').map((i) => i.id));

test('items have unique ids, known categories, and every rule they name exists', () => {
  assert.equal(new Set(ITEMS.map((i) => i.id)).size, ITEMS.length);
  for (const c of CATEGORIES) assert.ok(ITEMS.some((i) => i.category === c), `category ${c} has items`);
  const ids = new Set(RULES.map((r) => r.id));
  const unknown = ITEMS.flatMap((i) => (i.kind === 'automatic' ? i.rules.filter((r) => !ids.has(r)) : []));
  assert.deepEqual(unknown, []);
});

test('every rule belongs to a checklist item', () => {
  const covered = new Set(ITEMS.flatMap((i) => (i.kind === 'automatic' ? [...i.rules, ...RULES.filter((r) => i.rulePatterns?.some((p) => p.test(r.id))).map((r) => r.id)] : [])));
  assert.deepEqual(RULES.map((r) => r.id).filter((id) => !covered.has(id)), []);
});

test('the manual file: tick, re-tick, untick, keep other lines, report malformed ones', () => {
  let text = tickItem(undefined, 'backups', 'Automated backups run and a restore was tested', '2026-11-21', 'alice');
  assert.match(text, /^# Production readiness/);
  text += 'A note the team wrote.\n';
  text = tickItem(text, 'staging', 'A staging environment mirrors production', '2026-11-22');
  let state = parseManualFile(text, MANUAL_IDS);
  assert.deepEqual(state.entries.get('backups'), { id: 'backups', date: '2026-11-21', who: 'alice', line: state.entries.get('backups')!.line });
  assert.equal(state.entries.get('staging')?.who, undefined);
  text = tickItem(text, 'backups', 'Automated backups run and a restore was tested', '2026-12-01', 'bob');
  assert.equal(text.match(/backups:/g)?.length, 1, 're-ticking replaces the line');
  text = untickItem(text, 'staging')!;
  state = parseManualFile(text, MANUAL_IDS);
  assert.ok(!state.entries.has('staging'));
  assert.equal(state.entries.get('backups')?.who, 'bob');
  assert.match(text, /A note the team wrote\./);
  const broken = parseManualFile('- [x]\n- [x] no-such-item: x\n- [ ] backups: unticked\n', MANUAL_IDS);
  assert.equal(broken.entries.size, 0);
  assert.equal(broken.problems.length, 2);
});

test('statuses: failing with findings, passed, not applicable, manual from the file', async () => {
  const dir = writeProject({
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")\n',
    'settings.py': 'import os\nDEBUG = True\nSECRET_KEY = os.environ["K"]\nALLOWED_HOSTS = ["a.example"]\nINSTALLED_APPS = ["django.contrib.auth"]\n',
    'readiness-checklist.md': '- [x] backups: Automated backups (2026-11-20, carol)\n',
    'scripts/backup.sh': 'pg_dump\n',
  });
  const { analyzer } = await analyzeDir(dir);
  const result = analyzer.analyze();
  const list = buildChecklist(analyzer.fs, result.projects[0]!, result, analyzer.workspaceFiles());
  const entry = (id: string) => list.categories.flatMap((c) => c.entries).find((e) => e.item.id === id)!;
  assert.equal(entry('debug-off').status, 'failing');
  assert.deepEqual(entry('debug-off').findings.map((f) => f.code), ['DJ-SEC-001']);
  assert.equal(entry('allowed-hosts').status, 'passed');
  assert.equal(entry('cors').status, 'not-applicable');
  assert.equal(entry('api').status, 'not-applicable');
  assert.equal(entry('backups').status, 'manual');
  assert.equal(entry('backups').checked, true);
  assert.equal(entry('backups').checkedBy, 'carol');
  assert.equal(entry('disaster-recovery').checked, false);
  assert.ok(list.score !== undefined && list.score > 0 && list.score < 100);
  analyzer.dispose();
});

test('checklist --format json lists every item with a status; failing items carry exactly the check findings', () => {
  const cli = join(REPO_ROOT, 'server/out/cli.js');
  const json = JSON.parse(spawnSync(process.execPath, [cli, 'checklist', 'example', '--format', 'json'], { cwd: REPO_ROOT, encoding: 'utf8' }).stdout);
  const check = JSON.parse(spawnSync(process.execPath, [cli, 'check', 'example', '--format', 'json'], { cwd: REPO_ROOT, encoding: 'utf8' }).stdout);
  const items = json.categories.flatMap((c: { items: unknown[] }) => c.items);
  assert.equal(items.length, ITEMS.length);
  for (const item of items) {
    assert.ok(['passed', 'failing', 'unknown', 'not-applicable', 'manual'].includes(item.status), item.id);
    if (item.status !== 'failing') continue;
    const expected = check.diagnostics
      .filter((d: { code: string; severity: string }) => item.rules.includes(d.code) && d.severity !== 'hint')
      .map((d: { file: string; code: string; range: { start: { line: number } } }) => `${d.file}:${d.range.start.line + 1} ${d.code}`)
      .sort();
    const got = item.findings.map((f: { file: string; line: number; code: string }) => `${f.file}:${f.line} ${f.code}`).sort();
    assert.deepEqual(got, expected, item.id);
  }
});

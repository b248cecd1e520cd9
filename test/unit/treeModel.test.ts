// The checklist view's tree model, without VS Code: nodes, icons, descriptions, tooltips, context
// values, the "failing only" filter, stable ids and the view summary (score message, badge).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { buildTree, flatten, itemContext, statusIcon, summarize, type TreeNode } from '../../client/src/checklist/treeModel';
import { buildChecklist } from '../../server/src/engine/checklist/model';
import { ITEMS } from '../../server/src/engine/checklist/items';
import { projectChecklist } from '../../server/src/lsp/checklist';
import type { ChecklistItemJson, ProjectChecklist } from '../../server/src/protocol';
import { analyzeDir, REPO_ROOT } from '../helpers/engine';

const ROOT = 'file:///work/shop';

function item(over: Partial<ChecklistItemJson> & { id: string; status: ChecklistItemJson['status'] }): ChecklistItemJson {
  return {
    title: `Title of ${over.id}`,
    kind: over.status === 'manual' ? 'manual' : 'automatic',
    why: `Why ${over.id} matters.`,
    rules: over.status === 'manual' ? [] : ['DJ-SEC-001'],
    reason: null,
    checked: over.status === 'manual' ? false : null,
    checkedOn: null,
    checkedBy: null,
    evidence: [],
    findings: [],
    ...over,
  };
}

const finding = (code: string, file: string, line: number, over: Partial<ChecklistItemJson['findings'][number]> = {}) => ({
  file,
  line,
  code,
  severity: 'warning' as const,
  message: `${code} message`,
  range: { start: { line: line - 1, character: 2 }, end: { line: line - 1, character: 6 } },
  fixable: false,
  ...over,
});

function fixture(rootUri = ROOT, name = 'shop'): ProjectChecklist {
  return {
    version: 1,
    root: '.',
    rootUri,
    folderUri: rootUri,
    name,
    score: 40,
    passed: 2,
    applicable: 5,
    manualFile: { path: 'readiness-checklist.md', exists: false, problems: [] },
    categories: [
      {
        category: 'Security',
        passed: 1,
        applicable: 3,
        worst: 'failing',
        items: [
          item({ id: 'debug-off', status: 'failing', fixable: true, findings: [finding('DJ-SEC-001', 'shop/settings.py', 15, { fixable: true, severity: 'error' })] }),
          item({ id: 'secret-key', status: 'failing', fixable: false, findings: [finding('DJ-SEC-005', 'shop/settings.py', 12), finding('DJ-SEC-005', 'shop/settings.py', 12)] }),
          item({ id: 'hsts', status: 'passed' }),
          item({ id: 'cors', status: 'not-applicable', reason: 'django-cors-headers is not used' }),
        ],
      },
      {
        category: 'Email',
        passed: 0,
        applicable: 1,
        worst: 'unknown',
        items: [item({ id: 'email', status: 'unknown', reason: 'the production value of EMAIL_BACKEND cannot be determined statically' })],
      },
      {
        category: 'Operations & Recovery',
        passed: 1,
        applicable: 2,
        worst: 'manual',
        items: [
          item({ id: 'backups', status: 'manual', checked: true, checkedOn: '2026-11-21', checkedBy: 'alice' }),
          item({ id: 'disaster-recovery', status: 'manual', evidence: ['docs/DISASTER_RECOVERY_PLAN.md'] }),
        ],
      },
    ],
  };
}

const byId = (nodes: TreeNode[], id: string) => {
  const n = flatten(nodes).find((x) => x.id === id);
  assert.ok(n, `node ${id} in ${flatten(nodes).map((x) => x.id).join('\n')}`);
  return n;
};

test('one project: categories at the top with passed/total and their worst-state icon', () => {
  const nodes = buildTree([fixture()]);
  assert.deepEqual(nodes.map((n) => [n.kind, n.label, n.description]), [
    ['category', 'Security', '1/3'],
    ['category', 'Email', '0/1'],
    ['category', 'Operations & Recovery', '1/2'],
  ]);
  assert.deepEqual(nodes.map((n) => n.icon.id), ['error', 'question', 'circle-large-outline']);
  assert.equal(nodes[0]!.icon.color, 'testing.iconFailed');
  assert.equal(nodes[0]!.contextValue, 'category');
  assert.equal(nodes[0]!.parentId, undefined);
  assert.match(nodes[0]!.tooltip!, /1 of 3 applicable items pass \(1 not applicable\)/);
});

test('items: status icon, description, tooltip, context value, children', () => {
  const nodes = buildTree([fixture()]);
  const debug = byId(nodes, `${ROOT}|item|debug-off`);
  assert.equal(debug.kind, 'item');
  assert.equal(debug.label, 'Title of debug-off');
  assert.equal(debug.description, '1 finding');
  assert.deepEqual(debug.icon, { id: 'error', color: 'testing.iconFailed' });
  assert.equal(debug.contextValue, 'item-failing-fixable');
  assert.equal(debug.parentId, `${ROOT}|category|Security`);
  assert.match(debug.tooltip!, /^\*\*Title of debug-off\*\*\n\nWhy debug-off matters\.\n\nFailing: 1 finding, 1 with a safe fix/);
  assert.match(debug.tooltip!, /Rules: DJ-SEC-001/);
  assert.equal(debug.children.length, 1);

  const secret = byId(nodes, `${ROOT}|item|secret-key`);
  assert.equal(secret.description, '2 findings');
  assert.equal(secret.contextValue, 'item-failing');
  // Two findings at the same place still get distinct ids.
  assert.equal(new Set(secret.children.map((c) => c.id)).size, 2);

  const hsts = byId(nodes, `${ROOT}|item|hsts`);
  assert.equal(hsts.description, undefined);
  assert.deepEqual(hsts.icon, { id: 'pass', color: 'testing.iconPassed' });
  assert.equal(hsts.contextValue, 'item-passed');
  assert.equal(hsts.accessibilityLabel, 'Title of hsts: passed');

  const cors = byId(nodes, `${ROOT}|item|cors`);
  assert.equal(cors.description, 'not applicable');
  assert.equal(cors.icon.id, 'circle-slash');
  assert.match(cors.tooltip!, /Not applicable: django-cors-headers is not used\./);

  const email = byId(nodes, `${ROOT}|item|email`);
  assert.equal(email.description, 'unknown');
  assert.match(email.tooltip!, /Unknown: the production value of EMAIL_BACKEND/);
});

test('manual items are checkboxes; unticked ones list their evidence', () => {
  const nodes = buildTree([fixture()]);
  const backups = byId(nodes, `${ROOT}|item|backups`);
  assert.equal(backups.contextValue, 'item-manual');
  assert.deepEqual(backups.checkbox?.checked, true);
  assert.equal(backups.description, 'manual · done 2026-11-21, alice');
  assert.equal(backups.icon.id, 'pass-filled');
  assert.match(backups.tooltip!, /Confirmed on 2026-11-21 by alice in `readiness-checklist\.md`/);
  assert.deepEqual(backups.children, []);

  const dr = byId(nodes, `${ROOT}|item|disaster-recovery`);
  assert.equal(dr.checkbox?.checked, false);
  assert.equal(dr.description, 'manual');
  assert.match(dr.tooltip!, /Evidence in the repository: `docs\/DISASTER_RECOVERY_PLAN\.md`/);
  assert.deepEqual(
    dr.children.map((c) => [c.kind, c.label, c.contextValue, c.open]),
    [['evidence', 'docs/DISASTER_RECOVERY_PLAN.md', 'evidence', { root: ROOT, path: 'docs/DISASTER_RECOVERY_PLAN.md' }]],
  );
});

test('findings: file:line and message, severity icon, what a click opens', () => {
  const nodes = buildTree([fixture()]);
  const [f] = byId(nodes, `${ROOT}|item|debug-off`).children;
  assert.ok(f);
  assert.equal(f.kind, 'finding');
  assert.equal(f.label, 'shop/settings.py:15');
  assert.equal(f.description, 'DJ-SEC-001 message');
  assert.deepEqual(f.icon, { id: 'error', color: 'problemsErrorIcon.foreground' });
  assert.equal(f.contextValue, 'finding');
  assert.equal(f.code, 'DJ-SEC-001');
  assert.equal(f.parentId, `${ROOT}|item|debug-off`);
  assert.deepEqual(f.open, { root: ROOT, path: 'shop/settings.py', range: { start: { line: 14, character: 2 }, end: { line: 14, character: 6 } } });
  assert.match(f.tooltip!, /A safe fix is available/);
});

test('failing only keeps failing items and the categories holding them, expanded', () => {
  const nodes = buildTree([fixture()], { failingOnly: true });
  assert.deepEqual(nodes.map((n) => n.label), ['Security']);
  assert.equal(nodes[0]!.expanded, true);
  assert.deepEqual(nodes[0]!.children.map((c) => c.itemId), ['debug-off', 'secret-key']);
  // Counts stay those of the whole category.
  assert.equal(nodes[0]!.description, '1/3');
  assert.deepEqual(buildTree([{ ...fixture(), categories: fixture().categories.slice(1) }], { failingOnly: true }), []);
});

test('ids are stable across rebuilds and unique; parents resolve', () => {
  const a = flatten(buildTree([fixture()]));
  const b = flatten(buildTree([fixture()]));
  assert.deepEqual(a.map((n) => n.id), b.map((n) => n.id));
  assert.equal(new Set(a.map((n) => n.id)).size, a.length);
  const ids = new Set(a.map((n) => n.id));
  for (const n of a) if (n.parentId) assert.ok(ids.has(n.parentId), n.id);
  // Filtering keeps the ids of what remains.
  const filtered = flatten(buildTree([fixture()], { failingOnly: true }));
  for (const n of filtered) assert.ok(ids.has(n.id), n.id);
});

test('several projects: a project node above each one\'s categories', () => {
  const nodes = buildTree([fixture('file:///work/a', 'a'), fixture('file:///work/b', 'b')]);
  assert.deepEqual(nodes.map((n) => [n.kind, n.label, n.description]), [
    ['project', 'a', '40% · 2/5'],
    ['project', 'b', '40% · 2/5'],
  ]);
  assert.equal(nodes[0]!.children[0]!.parentId, 'file:///work/a');
  assert.notEqual(nodes[0]!.children[0]!.id, nodes[1]!.children[0]!.id);
});

test('summary: score message, badge with failing items, welcome states, manual-file problems', () => {
  const s = summarize([fixture()], { ready: true });
  assert.equal(s.state, 'ready');
  assert.equal(s.message, 'Readiness 40% · 2/5');
  assert.equal(s.description, '40%');
  assert.deepEqual(s.badge, { value: 2, tooltip: '2 failing checklist items' });
  assert.equal(summarize([fixture()], { ready: true, failingOnly: true }).message, 'Readiness 40% · 2/5 · failing only (2)');
  const none = { ...fixture(), categories: fixture().categories.slice(1) };
  assert.equal(summarize([none], { ready: true }).badge, undefined);
  assert.equal(summarize([none], { ready: true, failingOnly: true }).message, 'Readiness 40% · 2/5 · no failing items');
  const broken = { ...fixture(), manualFile: { path: 'readiness-checklist.md', exists: true, problems: ['line 2 is not "- [x] <item id>: <title> (<date>, <who>)"'] } };
  assert.match(summarize([broken], { ready: true }).message!, /⚠ readiness-checklist\.md: line 2 is not/);
  assert.equal(summarize([], { ready: false }).state, 'loading');
  assert.equal(summarize([], { ready: true }).state, 'noProject');
  assert.equal(summarize([fixture()], { ready: true, disabled: true }).state, 'disabled');
  assert.equal(summarize([{ ...fixture(), score: null, passed: 0, applicable: 0 }], { ready: true }).message, 'Readiness – · 0/0');
});

test('icons and context values for every status', () => {
  assert.equal(statusIcon('manual', false).id, 'circle-large-outline');
  assert.equal(statusIcon('manual', true).id, 'pass-filled');
  assert.equal(itemContext(item({ id: 'x', status: 'failing', fixable: true })), 'item-failing-fixable');
  assert.equal(itemContext(item({ id: 'x', status: 'unknown' })), 'item-unknown');
  assert.equal(itemContext(item({ id: 'x', status: 'not-applicable' })), 'item-not-applicable');
});

test('the example project\'s checklist (as the server sends it) becomes a consistent tree', async () => {
  const root = join(REPO_ROOT, 'example');
  const { analyzer } = await analyzeDir(root);
  try {
    const result = analyzer.analyze();
    const lists = result.projects.map((p) =>
      projectChecklist(buildChecklist(analyzer.fs, p, result, analyzer.workspaceFiles()), { uri: pathToFileURL(root).href, name: 'example', root }, (x) => pathToFileURL(x).href),
    );
    assert.equal(lists.length, 1);
    const nodes = buildTree(lists);
    const all = flatten(nodes);
    assert.equal(nodes.length, 10);
    assert.equal(all.filter((n) => n.kind === 'item').length, ITEMS.length);
    for (const n of nodes) {
      const c = lists[0]!.categories.find((x) => x.category === n.label)!;
      assert.equal(n.description, `${c.passed}/${c.applicable}`);
    }
    const failing = all.filter((n) => n.kind === 'item' && n.status === 'failing');
    assert.ok(failing.length > 0);
    for (const n of failing) assert.ok(n.children.length > 0 && n.children.every((c) => c.kind === 'finding' && c.open?.range), n.id);
    assert.equal(summarize(lists, { ready: true }).badge?.value, failing.length);
    // Every failing example item with a safe-fix finding is offered the inline Fix.
    const fixable = lists[0]!.categories.flatMap((c) => c.items).filter((i) => i.status === 'failing' && i.findings.some((f) => f.fixable));
    assert.deepEqual(all.filter((n) => n.contextValue === 'item-failing-fixable').map((n) => n.itemId), fixable.map((i) => i.id));
  } finally {
    analyzer.dispose();
  }
});

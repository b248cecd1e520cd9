// The checklist model shared by the tree view, the CLI report and the tests: every item with its
// status (passed / failing / unknown / not applicable / manual), its findings, per-category and
// overall scores. It is computed from one analysis result, so a failing item's findings are exactly
// the diagnostics `check` reports for its rules.
import { join } from 'node:path';
import type { AnalysisResult } from '../analyzer';
import type { DjangoProject } from '../project/model';
import { RULES } from '../rules/index';
import type { SettingsProfile } from '../settings/profile';
import { containsString } from '../settings/value';
import type { Finding } from '../types';
import { type FileSystem, globToRegExp, relativePosix } from '../workspace';
import { type Applicability, CATEGORIES, type Category, type ChecklistItem, ITEMS } from './items';
import { MANUAL_FILE, type ManualState, parseManualFile } from './manualFile';

export type ItemStatus = 'passed' | 'failing' | 'unknown' | 'not-applicable' | 'manual';

export interface ChecklistEntry {
  item: ChecklistItem;
  status: ItemStatus;
  /** Rules that decide the item in this build (registered ids). */
  rules: string[];
  findings: Finding[];
  /** Why the item is unknown or not applicable. */
  reason?: string;
  /** Manual items: whether the team ticked it, when and who. */
  checked?: boolean;
  checkedOn?: string;
  checkedBy?: string;
  /** Manual items: workspace files suggesting it is done. */
  evidence?: string[];
}

export interface CategorySummary {
  category: Category;
  entries: ChecklistEntry[];
  passed: number;
  applicable: number;
  worst: ItemStatus | 'passed';
}

export interface Checklist {
  root: string;
  categories: CategorySummary[];
  passed: number;
  applicable: number;
  /** 0–100, rounded; undefined when nothing applies. */
  score?: number;
  manualFile: { path: string; exists: boolean; problems: string[] };
}

const SEVERITY_FAILS = new Set(['error', 'warning', 'information']);

function applies(what: Applicability | undefined, project: DjangoProject, profile: SettingsProfile | undefined, files: string[]): { ok: boolean; reason?: string } {
  const apps = profile?.setting('INSTALLED_APPS').value;
  switch (what) {
    case undefined:
      return { ok: true };
    case 'drf':
      return containsString(apps, 'rest_framework') === false ? { ok: false, reason: 'Django REST framework is not installed' } : { ok: true };
    case 'cors': {
      const used = containsString(apps, 'corsheaders') !== false || [...(profile?.scope.keys() ?? [])].some((k) => k.startsWith('CORS_'));
      return used ? { ok: true } : { ok: false, reason: 'django-cors-headers is not used' };
    }
    case 'docker':
      return files.some((f) => /(^|\/)(Dockerfile[^/]*|[^/]*\.dockerfile)$/i.test(f)) ? { ok: true } : { ok: false, reason: 'no Dockerfile' };
    case 'compose':
      return files.some((f) => /(^|\/)(docker-)?compose[^/]*\.ya?ml$/i.test(f)) ? { ok: true } : { ok: false, reason: 'no compose file' };
    case 'requirements':
      return project.requirementsFiles.length > 0 || files.some((f) => /(^|\/)(pyproject\.toml|Pipfile)$/.test(f)) ? { ok: true } : { ok: false, reason: 'no requirements file' };
    case 'email':
      return { ok: true };
  }
}

function rulesOf(item: Extract<ChecklistItem, { kind: 'automatic' }>): string[] {
  const registered = RULES.map((r) => r.id);
  const ids = item.rules.filter((id) => registered.includes(id));
  for (const re of item.rulePatterns ?? []) for (const id of registered) if (re.test(id) && !ids.includes(id)) ids.push(id);
  return ids;
}

export function buildChecklist(fs: FileSystem, project: DjangoProject, result: AnalysisResult, files: string[]): Checklist {
  const profile = result.profiles.find((p) => p.project === project);
  const rel = (f: string) => relativePosix(project.root, f);
  const projectFiles = files.filter((f) => f === project.root || f.startsWith(project.root + '/')).map(rel);
  const manualPath = join(project.root, MANUAL_FILE);
  const manualText = fs.readFile(manualPath);
  const manual: ManualState = parseManualFile(manualText, new Set(ITEMS.filter((i) => i.kind === 'manual').map((i) => i.id)));
  const findings = result.findings.filter((f) => f.file.startsWith(project.root + '/') || f.file === project.root);

  const entries: ChecklistEntry[] = ITEMS.map((item) => {
    const app = applies(item.applies, project, profile, projectFiles);
    if (item.kind === 'manual') {
      const hit = manual.entries.get(item.id);
      const evidence = (item.evidence ?? []).flatMap((g) => {
        const re = globToRegExp(g);
        return projectFiles.filter((f) => re.test(f));
      });
      return { item, status: 'manual', rules: [], findings: [], checked: !!hit, checkedOn: hit?.date, checkedBy: hit?.who, evidence: [...new Set(evidence)].slice(0, 5) };
    }
    const rules = rulesOf(item);
    if (!app.ok) return { item, status: 'not-applicable', rules, findings: [], reason: app.reason };
    const own = findings.filter((f) => rules.includes(f.code) && SEVERITY_FAILS.has(f.severity));
    if (own.length > 0) return { item, status: 'failing', rules, findings: own };
    if (rules.length === 0) return { item, status: 'unknown', rules, findings: [], reason: 'no rule checks this yet' };
    const settingsRules = rules.some((id) => RULES.find((r) => r.id === id)?.family === 'settings');
    if (settingsRules && !profile) return { item, status: 'unknown', rules, findings: [], reason: 'no production settings module was identified' };
    const undecided = (item.settings ?? []).filter((name) => profile && profile.setting(name).value.kind === 'unknown');
    if (undecided.length > 0) return { item, status: 'unknown', rules, findings: [], reason: `the production value of ${undecided.join(', ')} cannot be determined statically` };
    return { item, status: 'passed', rules, findings: [] };
  });

  const rank: Record<string, number> = { failing: 0, unknown: 1, manual: 2, passed: 3, 'not-applicable': 4 };
  const categories: CategorySummary[] = CATEGORIES.map((category) => {
    const list = entries.filter((e) => e.item.category === category);
    const applicable = list.filter((e) => e.status !== 'not-applicable');
    const passed = applicable.filter((e) => e.status === 'passed' || (e.status === 'manual' && e.checked)).length;
    const statuses = applicable.map((e) => (e.status === 'manual' ? (e.checked ? 'passed' : 'manual') : e.status));
    const worst = (statuses.sort((a, b) => rank[a]! - rank[b]!)[0] ?? 'passed') as CategorySummary['worst'];
    return { category, entries: list, passed, applicable: applicable.length, worst };
  });
  const passed = categories.reduce((n, c) => n + c.passed, 0);
  const applicable = categories.reduce((n, c) => n + c.applicable, 0);
  return {
    root: project.root,
    categories,
    passed,
    applicable,
    score: applicable > 0 ? Math.round((100 * passed) / applicable) : undefined,
    manualFile: { path: manualPath, exists: manualText !== undefined, problems: manual.problems.map((p) => p.message) },
  };
}

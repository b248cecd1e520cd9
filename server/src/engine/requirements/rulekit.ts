// Helpers the requirements rules share: which version to suggest, edits that rewrite a version
// constraint or move a line, and the dev-only package lists.
import { basename, dirname, join } from 'node:path';
import pins from '../data/packages.json';
import type { Range, TextEdit } from '../types';
import type { FileSystem } from '../workspace';
import { latestInSeries, lowestSafe } from './advisories';
import type { Dependency, DependencyModel } from './model';
import { normalizeName } from './parse';
import { compareVersions, formatVersion, parseVersion, setContains, type Version } from './pep440';
import { relativePosix } from '../workspace';

const PINS = Object.fromEntries(Object.entries(pins.pins as Record<string, string>).map(([k, v]) => [normalizeName(k), v]));

/** Versions suggested when a dependency gets pinned, beyond packages.json. */
const EXTRA_PINS: Record<string, string> = {
  'django-extensions': '3.2.3',
  'django-debug-toolbar': '4.4.6',
  djangorestframework: '3.15.2',
  uvicorn: '0.32.1',
  celery: '5.4.0',
  pillow: '11.0.0',
  requests: '2.32.3',
  'python-dotenv': '1.0.1',
  'python-decouple': '3.8',
  'django-storages': '1.14.4',
  channels: '4.2.0',
  'djangorestframework-simplejwt': '5.3.1',
  'psycopg2': '2.9.10',
};

/**
 * A version to pin `key` to: one the project pins elsewhere (a lock or compiled file), else our
 * reviewed table, else the newest patch of Django's series; `source` says which.
 */
export function suggestVersion(deps: DependencyModel, key: string, within?: Dependency): { version: string; source: 'project' | 'table' } | undefined {
  const admits = (v: string) => {
    const parsed = parseVersion(v);
    return !within?.specs || (!!parsed && setContains(within.specs, parsed));
  };
  const pinnedElsewhere = deps.declared(key).map((d) => d.pinned).filter((v): v is Version => !!v).sort((a, b) => compareVersions(b, a));
  const own = pinnedElsewhere.find((v) => admits(v.text));
  if (own) return { version: formatVersion(own), source: 'project' };
  const table = PINS[key] ?? EXTRA_PINS[key];
  if (table && admits(table)) {
    const safe = lowestSafe(key, parseVersion(table)!);
    return { version: safe ? formatVersion(safe) : table, source: 'table' };
  }
  if (key === 'django') {
    const lower = within?.specs?.find((s) => s.op === '>=' || s.op === '~=' || s.op === '==')?.version;
    const series = lower ? `${lower.release[0]}.${lower.release[1] ?? 0}` : undefined;
    const latest = series ? latestInSeries(series) : undefined;
    if (latest && admits(latest)) return { version: latest, source: 'table' };
  }
  return undefined;
}

export function pinFor(key: string): string | undefined {
  return PINS[key] ?? EXTRA_PINS[key];
}

/** Edit replacing a requirements-file dependency's constraint with `constraint` (`==1.2`). */
export function setConstraintEdit(fs: FileSystem, dep: Dependency, constraint: string): TextEdit | undefined {
  if (dep.origin === 'requirements' || (dep.origin === 'pyproject' && dep.req)) {
    if (dep.specRange) return { file: dep.file, range: dep.specRange, newText: constraint };
    if (!dep.nameRange) return undefined;
    // After `name[extras]`.
    const line = (fs.readFile(dep.file) ?? '').split(/\r?\n/)[dep.nameRange.end.line] ?? '';
    let c = dep.nameRange.end.character;
    const m = /^\s*\[[^\]]*\]/.exec(line.slice(c));
    if (m) c += m[0].length;
    return { file: dep.file, range: { start: { line: dep.nameRange.end.line, character: c }, end: { line: dep.nameRange.end.line, character: c } }, newText: constraint };
  }
  if ((dep.origin === 'poetry' || dep.origin === 'pipfile') && dep.specRange) {
    const text = dep.origin === 'poetry' ? constraint.replace(/^==/, '') : constraint;
    return { file: dep.file, range: dep.specRange, newText: JSON.stringify(text) };
  }
  return undefined;
}

/** The physical lines of a requirement (continuations included), for deleting or moving it. */
export function requirementLines(fs: FileSystem, dep: Dependency): { range: Range; text: string } | undefined {
  if (!dep.req) return undefined;
  const lines = (fs.readFile(dep.file) ?? '').split('\n');
  const first = dep.req.line;
  const last = dep.req.lastLine;
  const text = lines.slice(first, last + 1).join('\n').replace(/\r$/, '');
  const end = last + 1 < lines.length ? { line: last + 1, character: 0 } : { line: last, character: lines[last]!.length };
  return { range: { start: { line: first, character: 0 }, end }, text };
}

export const DEV_WARNING = ['django-debug-toolbar', 'django-extensions', 'debugpy', 'django-silk', 'django-browser-reload', 'ipdb', 'pdbpp', 'django-livereload-server'];
export const DEV_INFO = ['pytest', 'pytest-django', 'pytest-cov', 'pytest-xdist', 'coverage', 'factory-boy', 'faker', 'model-bakery', 'freezegun', 'black', 'ruff', 'flake8', 'isort', 'pylint', 'mypy', 'django-stubs', 'djangorestframework-stubs', 'pre-commit', 'ipython', 'tox', 'nox', 'sphinx', 'bandit', 'responses', 'pytest-mock', 'django-test-plus', 'tblib'];

export function devTier(key: string, deps: DependencyModel): 'warning' | 'information' | undefined {
  if (DEV_WARNING.includes(key)) return 'warning';
  if (key === 'werkzeug' && deps.inProduction('django-extensions')) return 'warning';
  if (DEV_INFO.includes(key) || key.startsWith('pytest-') || key.startsWith('types-') || key.startsWith('flake8-')) return 'information';
  return undefined;
}

/** Where dev-only requirements go: an existing dev file, else a new one next to the production file. */
export function devTarget(deps: DependencyModel, prodFile: string): { file: string; exists: boolean } {
  const devFiles = [...deps.files.values()].filter((f) => f.role === 'dev' && !f.input);
  const preferred = devFiles.find((f) => /(^|[-_/])(dev|development|local)\.txt$|requirements[-_.]dev\.txt$|dev[-_]requirements\.txt$/.test(f.path)) ?? devFiles.find((f) => !/test|ci|lint|doc/i.test(basename(f.path)));
  if (preferred) return { file: preferred.path, exists: true };
  const dir = dirname(prodFile);
  const file = basename(dir) === 'requirements' ? join(dir, 'dev.txt') : join(dir, 'requirements-dev.txt');
  return { file, exists: false };
}

export function includeLine(from: string, to: string): string {
  return `-r ${relativePosix(dirname(from), to)}`;
}

// The project model: which Django projects a workspace holds, their settings modules, which of
// them production loads (spec §c.1) and which Django version they run. Built from file names and a
// few regular expressions over small files (manage.py, wsgi.py, Dockerfile, compose, .env); the
// settings themselves are evaluated elsewhere.
import { dirname, join, normalize, relative, sep } from 'node:path';
import { baseName, type FileSystem, splitPath } from '../workspace';
import { ASSUMED_VERSION, type DjangoVersion, seriesForSpecifier } from './djangoVersion';

export type SettingsRole = 'production' | 'base' | 'dev' | 'test' | 'unknown';

export interface SettingsModule {
  path: string;
  moduleName: string;
  role: SettingsRole;
  /** Why we think so, for messages and the checklist ("named in wsgi.py", "file name local.py"). */
  roleReason: string;
}

export type EntryKind = 'wsgi' | 'asgi' | 'manage' | 'dockerfile' | 'compose' | 'dotenv' | 'platform' | 'pytest';

export interface EntryPoint {
  kind: EntryKind;
  file: string;
  line: number;
  moduleName: string;
  /** The module file, when it exists in the workspace. */
  path?: string;
  /** A dev-only file (docker-compose.override.yml, Dockerfile.dev, .env.local). */
  devFile: boolean;
}

export interface DjangoProject {
  /** The folder holding manage.py (or the workspace folder when there is none). */
  root: string;
  managePy?: string;
  /** Folders absolute imports resolve from. */
  importRoots: string[];
  settingsModules: SettingsModule[];
  entryPoints: EntryPoint[];
  /** The module evaluated as production, or undefined when none can be identified. */
  production?: SettingsModule;
  productionReason: string;
  djangoVersion: DjangoVersion;
  requirementsFiles: string[];
  /** Distribution names from requirements/pyproject, normalised (lower case, `_` for `-` and `.`). */
  requirementNames: Set<string>;
}

const DEV_NAMES = new Set(['local', 'dev', 'develop', 'development', 'debug', 'sandbox', 'example', 'sample', 'localhost']);
const TEST_NAMES = new Set(['test', 'tests', 'testing', 'ci', 'test_settings', 'settings_test', 'pytest']);
const PROD_NAMES = new Set(['production', 'prod', 'live', 'deploy', 'deployment', 'staging', 'stage', 'heroku', 'render', 'railway', 'docker', 'settings_prod', 'prod_settings', 'production_settings', 'settings_production']);
const BASE_NAMES = new Set(['base', 'common', 'defaults', 'default', 'components', 'shared', 'core', 'base_settings', 'settings_base']);

/**
 * A module inside a tests package (`horizon.test.settings`, `tests.settings`, `test_project.settings`)
 * is test settings whatever its own name.
 */
export function inTestPackage(moduleName: string): string | undefined {
  const packages = moduleName.split('.').slice(0, -1);
  return packages.find((p) => TEST_NAMES.has(p.toLowerCase()) || p.toLowerCase().split(/[_-]/).some((w) => w === 'test' || w === 'tests'));
}

export function roleFromName(moduleName: string): SettingsRole | undefined {
  const last = moduleName.split('.').pop()!.toLowerCase();
  const words = last.split(/[_-]/);
  if (TEST_NAMES.has(last) || words.some((w) => TEST_NAMES.has(w) && w !== 'ci')) return 'test';
  if (DEV_NAMES.has(last) || words.some((w) => DEV_NAMES.has(w))) return 'dev';
  if (PROD_NAMES.has(last) || words.some((w) => PROD_NAMES.has(w))) return 'production';
  if (BASE_NAMES.has(last)) return 'base';
  return undefined;
}

/** A path's dotted module name, found by walking up through `__init__.py` packages. */
export function moduleNameOf(fs: FileSystem, path: string): { moduleName: string; root: string; isPackage: boolean } {
  let [dir, name] = splitPath(path);
  const isPackage = name === '__init__.py';
  const parts = isPackage ? [] : [name.replace(/\.py$/, '')];
  // Folders of the paths the engine builds are normalised: appending needs no path.join.
  while (fs.isFile(dir.endsWith(sep) ? `${dir}__init__.py` : `${dir}${sep}__init__.py`)) {
    const [parent, folder] = splitPath(dir);
    parts.unshift(folder);
    if (parent === dir) break;
    dir = parent;
  }
  return { moduleName: parts.join('.'), root: dir, isPackage };
}

/** Roots that are normalised and end without a separator: a path under them is a concatenation. */
const plainRoots = new Map<string, boolean>();

function isPlainRoot(root: string): boolean {
  let plain = plainRoots.get(root);
  if (plain === undefined) {
    plain = root.length > 1 && !root.endsWith(sep) && normalize(root) === root;
    if (plainRoots.size > 10_000) plainRoots.clear();
    plainRoots.set(root, plain);
  }
  return plain;
}

/** `a.b.c` → `root/a/b/c.py` or `root/a/b/c/__init__.py`. */
export function moduleFile(fs: FileSystem, roots: string[], moduleName: string): string | undefined {
  const parts = moduleName.split('.');
  const rel = parts.join(sep);
  // A dotted name of identifiers under a plain root needs no join (whose normalising was most of
  // the cost of resolving a library import against every root of a project).
  const plainName = /^\w+(\.\w+)*$/u.test(moduleName);
  const folders = parts.slice(0, -1);
  const last = `${parts[parts.length - 1]!}.py`;
  for (const root of roots) {
    const plain = plainName && isPlainRoot(root);
    // Asked of the listings by name first (fileUnder); a path is built only for an answer or
    // when the listings cannot tell.
    const asFile = plain ? fs.fileUnder?.(root, folders, last) : undefined;
    if (asFile !== false) {
      const file = plain ? `${root}${sep}${rel}.py` : join(root, `${rel}.py`);
      if (asFile ?? fs.isFile(file)) return file;
    }
    const asPackage = plain ? fs.fileUnder?.(root, parts, '__init__.py') : undefined;
    if (asPackage !== false) {
      const pkg = plain ? `${root}${sep}${rel}${sep}__init__.py` : join(root, rel, '__init__.py');
      if (asPackage ?? fs.isFile(pkg)) return pkg;
    }
  }
  return undefined;
}

/** Named like a settings module: `settings.py`, `settings_*.py`, `*_settings.py`, or inside a `settings` package. */
export function isSettingsNameCandidate(fs: FileSystem, path: string): boolean {
  if (!path.endsWith('.py')) return false;
  const name = baseName(path);
  if (name === 'settings.py' || /^settings_\w+\.py$/.test(name) || /^\w+_settings\.py$/.test(name)) return true;
  return baseName(dirname(path)) === 'settings' && fs.isFile(join(dirname(path), '__init__.py'));
}

// Settings Django itself reads, and the prefixes of its setting families (SECURE_*, SESSION_*...).
// Third-party families are left out on purpose: a module of constants such as `CELERY_QUEUE = ...`
// in a `settings` package is rare, a plugin's `ADD_INSTALLED_APPS` is not (Horizon's enabled/ files).
const DJANGO_SETTING =
  /^(?:DEBUG|SECRET_KEY|SECRET_KEY_FALLBACKS|ALLOWED_HOSTS|INTERNAL_IPS|INSTALLED_APPS|MIDDLEWARE|MIDDLEWARE_CLASSES|ROOT_URLCONF|WSGI_APPLICATION|ASGI_APPLICATION|TEMPLATES|TEMPLATE_DEBUG|TEMPLATE_DIRS|TEMPLATE_LOADERS|TEMPLATE_CONTEXT_PROCESSORS|DATABASES|DATABASE_ROUTERS|CACHES|CACHE_MIDDLEWARE_\w+|STATIC_URL|STATIC_ROOT|STATICFILES_\w+|STORAGES|DEFAULT_FILE_STORAGE|MEDIA_URL|MEDIA_ROOT|LANGUAGE_CODE|LANGUAGES|LOCALE_PATHS|TIME_ZONE|USE_TZ|USE_I18N|USE_L10N|LOGGING|LOGGING_CONFIG|AUTH_USER_MODEL|AUTH_PASSWORD_VALIDATORS|AUTHENTICATION_BACKENDS|PASSWORD_HASHERS|LOGIN_URL|LOGIN_REDIRECT_URL|LOGOUT_REDIRECT_URL|ADMINS|MANAGERS|SITE_ID|DEFAULT_AUTO_FIELD|DEFAULT_FROM_EMAIL|SERVER_EMAIL|EMAIL_\w+|SESSION_\w+|CSRF_\w+|SECURE_\w+|X_FRAME_OPTIONS|FILE_UPLOAD_\w+|DATA_UPLOAD_\w+|SILENCED_SYSTEM_CHECKS|APPEND_SLASH|PREPEND_WWW|USE_X_FORWARDED_HOST|USE_X_FORWARDED_PORT|FIXTURE_DIRS|MESSAGE_STORAGE|TEST_RUNNER)\s*(?::[^=\n]*)?\+?=/m;

/**
 * Does a module's text look like Django settings? It assigns one of Django's own settings at the
 * start of a line, or star-imports or `include()`s other settings (split settings packages whose
 * `__init__.py` only chooses a module), or updates `globals()`.
 */
export function looksLikeSettings(text: string | undefined): boolean {
  if (!text) return false;
  return DJANGO_SETTING.test(text) || /^[ \t]*from[ \t]+[\w.]+[ \t]+import[ \t]+\*/m.test(text) || /^[ \t]*(?:include|optional)\(|^[ \t]*globals\(\)\.update\(/m.test(text);
}

const DSM = 'DJANGO_SETTINGS_MODULE';
const PY_ENTRY = [
  new RegExp(`os\\.environ\\.setdefault\\(\\s*["']${DSM}["']\\s*,\\s*["']([\\w.]+)["']`),
  new RegExp(`os\\.environ\\[\\s*["']${DSM}["']\\s*\\]\\s*=\\s*["']([\\w.]+)["']`),
];
const GENERIC_ENTRY = new RegExp(`${DSM}["']?\\s*[:=]\\s*["']?([A-Za-z_][\\w.]*)`);
const DOCKER_ENV = new RegExp(`^\\s*ENV\\s+(?:.*\\s)?${DSM}(?:=|\\s+)["']?([A-Za-z_][\\w.]*)`, 'i');
const SETTINGS_FLAG = /--settings[= ]["']?([A-Za-z_][\w.]*)/;

function lineMatches(text: string, patterns: RegExp[]): { line: number; value: string }[] {
  const out: { line: number; value: string }[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (/^\s*#/.test(line) && !/^\s*#.*ENV/i.test(line)) return;
    for (const p of patterns) {
      const m = p.exec(line);
      if (m) {
        out.push({ line: i, value: m[1]! });
        break;
      }
    }
  });
  return out;
}

function isDevFile(name: string): boolean {
  return /(^|[._-])(dev|devel|development|local|override|test|testing|ci)([._-]|$)/i.test(name);
}

export interface DiscoveryOptions {
  /** `--settings`: a dotted module or a file path, forced as production. */
  settingsOverride?: string;
  /** `--django-version`. */
  djangoVersion?: DjangoVersion;
}

/**
 * Finds Django projects among workspace files. `files` is the workspace listing (absolute paths).
 */
export function discoverProjects(fs: FileSystem, workspaceRoot: string, files: string[], options: DiscoveryOptions = {}): DjangoProject[] {
  const managePys = files.filter((f) => baseName(f) === 'manage.py');
  const roots = managePys.length > 0 ? managePys.map((m) => dirname(m)) : [workspaceRoot];
  const projects: DjangoProject[] = [];
  // Files belong to the deepest project root that contains them: one pass over the files, roots
  // tried deepest first.
  const owned = new Map<string, string[]>(roots.map((r) => [r, []]));
  const deepestFirst = [...new Set(roots)].sort((a, b) => b.length - a.length).map((root) => ({ root, prefix: root.endsWith(sep) ? root : root + sep, files: owned.get(root)! }));
  for (const f of files) {
    // Paths here are absolute and normalised (from the workspace walk): a prefix test is enough.
    for (const r of deepestFirst) {
      if (f.startsWith(r.prefix) || f === r.root) {
        r.files.push(f);
        break;
      }
    }
  }
  for (const root of roots) {
    const project = buildProject(fs, workspaceRoot, root, owned.get(root)!, files, options);
    if (project) projects.push(project);
  }
  return projects;
}

function buildProject(fs: FileSystem, workspaceRoot: string, root: string, files: string[], allFiles: string[], options: DiscoveryOptions): DjangoProject | undefined {
  const managePy = fs.isFile(join(root, 'manage.py')) ? join(root, 'manage.py') : undefined;
  const importRoots = [root];
  for (const extra of [join(root, 'src'), workspaceRoot]) if (!importRoots.includes(extra) && fs.isDirectory(extra)) importRoots.push(extra);

  // Entry points naming DJANGO_SETTINGS_MODULE.
  const entries: EntryPoint[] = [];
  const addEntries = (file: string, kind: EntryKind, patterns: RegExp[]) => {
    const text = fs.readFile(file);
    if (!text || !text.includes('DJANGO_SETTINGS_MODULE') && !text.includes('--settings')) return;
    for (const m of lineMatches(text, patterns)) {
      entries.push({ kind, file, line: m.line, moduleName: m.value, path: moduleFile(fs, importRoots, m.value), devFile: isDevFile(baseName(file)) });
    }
  };
  for (const f of files) {
    const name = baseName(f);
    if (name === 'manage.py') addEntries(f, 'manage', PY_ENTRY);
    else if (name === 'wsgi.py') addEntries(f, 'wsgi', PY_ENTRY);
    else if (name === 'asgi.py') addEntries(f, 'asgi', PY_ENTRY);
    else if (/^Dockerfile/i.test(name) || name.endsWith('.dockerfile')) addEntries(f, 'dockerfile', [DOCKER_ENV, SETTINGS_FLAG]);
    else if (/^(docker-)?compose.*\.ya?ml$/i.test(name)) addEntries(f, 'compose', [GENERIC_ENTRY, SETTINGS_FLAG]);
    else if (/^\.env(\..+)?$/.test(name) && !name.endsWith('.example') && !name.endsWith('.sample') && !name.endsWith('.template')) addEntries(f, 'dotenv', [GENERIC_ENTRY]);
    else if (['Procfile', 'render.yaml', 'fly.toml', 'app.yaml', 'app.json', 'railway.json', 'gunicorn.conf.py', 'gunicorn_config.py'].includes(name)) addEntries(f, 'platform', [GENERIC_ENTRY, SETTINGS_FLAG]);
    else if (['pytest.ini', 'setup.cfg', 'tox.ini', 'pyproject.toml'].includes(name)) addEntries(f, 'pytest', [GENERIC_ENTRY]);
  }

  // Settings modules: files named settings.py, modules inside a `settings` package, and every
  // module an entry point names.
  const modules = new Map<string, SettingsModule>();
  const addModule = (path: string) => {
    if (modules.has(path)) return;
    const { moduleName } = moduleNameOf(fs, path);
    modules.set(path, { path, moduleName, role: 'unknown', roleReason: '' });
  };
  // A name alone is not enough: `test_settings.py` is as often a unit test as test settings, and a
  // `settings` package may be a dashboard panel (Horizon). The text must also look like settings.
  for (const f of files) {
    if (isSettingsNameCandidate(fs, f) && looksLikeSettings(fs.readFile(f))) addModule(f);
  }
  for (const e of entries) if (e.path) addModule(e.path);
  if (options.settingsOverride) {
    const forced = resolveOverride(fs, importRoots, workspaceRoot, options.settingsOverride);
    if (forced) addModule(forced);
  }
  if (!managePy && modules.size === 0) return undefined;

  // Roles.
  const prodEntries = entries.filter((e) => e.kind !== 'manage' && e.kind !== 'pytest' && !e.devFile);
  for (const m of modules.values()) {
    const named = roleFromName(m.moduleName);
    const entry = entries.find((e) => e.path === m.path);
    if (entry?.kind === 'pytest') {
      m.role = 'test';
      m.roleReason = `named by ${baseName(entry.file)} for tests`;
    } else if (named) {
      m.role = named;
      m.roleReason = `module name ${m.moduleName}`;
    } else if (inTestPackage(m.moduleName) && !prodEntries.some((e) => e.path === m.path)) {
      m.role = 'test';
      m.roleReason = `in the ${inTestPackage(m.moduleName)} package`;
    } else if (prodEntries.some((e) => e.path === m.path)) {
      m.role = 'production';
      m.roleReason = `named in ${baseName(prodEntries.find((e) => e.path === m.path)!.file)}`;
    } else if (baseName(m.path) === '__init__.py') {
      m.role = 'base';
      m.roleReason = 'settings package';
    } else {
      m.role = 'unknown';
      m.roleReason = 'no entry point names it';
    }
  }

  let production: SettingsModule | undefined;
  let productionReason = '';
  const byPath = (p: string | undefined) => (p ? modules.get(p) : undefined);
  if (options.settingsOverride) {
    production = byPath(resolveOverride(fs, importRoots, workspaceRoot, options.settingsOverride));
    productionReason = production ? 'given with --settings' : '';
    if (production) {
      production.role = 'production';
      production.roleReason = 'given with --settings';
    }
  }
  // A --settings that names nothing must not silently fall back to another module.
  if (!production && !options.settingsOverride) {
    const prodEntry = prodEntries.find((e) => e.path && byPath(e.path)?.role !== 'dev' && byPath(e.path)?.role !== 'test');
    if (prodEntry) {
      production = byPath(prodEntry.path);
      productionReason = `DJANGO_SETTINGS_MODULE in ${relative(root, prodEntry.file) || baseName(prodEntry.file)}`;
    }
  }
  if (!production && !options.settingsOverride) {
    const named = [...modules.values()].filter((m) => m.role === 'production');
    // Prefer "production" over "staging" when both exist.
    named.sort((a, b) => rank(a.moduleName) - rank(b.moduleName));
    if (named[0]) {
      production = named[0];
      productionReason = `module name ${production.moduleName}`;
    }
  }
  if (!production && !options.settingsOverride) {
    const manageEntry = entries.find((e) => e.kind === 'manage' && e.path && byPath(e.path)?.role !== 'dev' && byPath(e.path)?.role !== 'test');
    if (manageEntry) {
      production = byPath(manageEntry.path);
      productionReason = 'DJANGO_SETTINGS_MODULE in manage.py';
    }
  }
  if (!production && !options.settingsOverride) {
    const lone = [...modules.values()].filter((m) => baseName(m.path) === 'settings.py' && m.role !== 'dev' && m.role !== 'test');
    if (lone.length === 1) {
      production = lone[0];
      productionReason = 'the only settings.py';
    }
  }
  if (production && production.role !== 'production') {
    production.role = 'production';
    production.roleReason = productionReason;
  }

  const requirementsFiles = files.filter((f) => /requirements.*\.(txt|in)$/i.test(baseName(f)) || (baseName(dirname(f)) === 'requirements' && /\.(txt|in)$/.test(f)));
  const djangoVersion = options.djangoVersion ?? readDjangoVersion(fs, root, files) ?? ASSUMED_VERSION;

  return {
    root,
    managePy,
    importRoots,
    // Code-unit order: locale-independent, and no ICU collator to set up before the first analysis.
    settingsModules: [...modules.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    entryPoints: entries,
    production,
    productionReason,
    djangoVersion,
    requirementsFiles,
    requirementNames: readRequirementNames(fs, files),
  };
}

export function normalizeDistName(name: string): string {
  return name.toLowerCase().replace(/[-.]+/g, '_');
}

/** Names of the distributions a project declares (a cheap read; issue 5 brings the full parser). */
function readRequirementNames(fs: FileSystem, files: string[]): Set<string> {
  const names = new Set<string>();
  for (const f of files) {
    const name = baseName(f);
    const isReq = /requirements.*\.(txt|in)$/i.test(name) || (baseName(dirname(f)) === 'requirements' && /\.(txt|in)$/.test(name));
    if (!isReq && name !== 'pyproject.toml' && name !== 'Pipfile') continue;
    const text = fs.readFile(f);
    if (!text) continue;
    for (const line of text.split(/\r?\n/)) {
      const m = isReq ? /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(line) : /^\s*["']?([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(?:[<>=!~^]|=\s*["{]|["'],?\s*$)/.exec(line);
      if (m) names.add(normalizeDistName(m[1]!));
    }
  }
  return names;
}

function rank(moduleName: string): number {
  const last = moduleName.split('.').pop()!;
  return last === 'production' || last === 'prod' ? 0 : 1;
}

function resolveOverride(fs: FileSystem, roots: string[], workspaceRoot: string, value: string): string | undefined {
  if (value.endsWith('.py') || value.includes('/')) {
    const abs = value.startsWith('/') ? value : join(workspaceRoot, value);
    return fs.isFile(abs) ? abs : fs.isFile(join(process.cwd(), value)) ? join(process.cwd(), value) : undefined;
  }
  return moduleFile(fs, roots, value);
}

const DJANGO_REQ = /^\s*django\s*(\[[^\]]*\])?\s*((?:[<>=!~]=?|===)\s*[^;#\s][^;#]*)/i;

/** Reads the Django version from requirements files, pyproject.toml or Pipfile (spec §c.5). */
export function readDjangoVersion(fs: FileSystem, root: string, files: string[]): DjangoVersion | undefined {
  const candidates = files
    .filter((f) => /requirements.*\.(txt|in)$/i.test(baseName(f)) || baseName(dirname(f)) === 'requirements' || ['pyproject.toml', 'Pipfile', 'setup.cfg'].includes(baseName(f)))
    .sort((a, b) => prodFirst(a) - prodFirst(b));
  for (const f of candidates) {
    const text = fs.readFile(f);
    if (!text) continue;
    for (const rawLine of text.split(/\r?\n/)) {
      const line = rawLine.replace(/^\s*["']/, '').replace(/["'],?\s*$/, '');
      const m = DJANGO_REQ.exec(line);
      if (m) {
        const v = seriesForSpecifier(m[2]!.replace(/\s+/g, ''), relative(root, f) || baseName(f));
        if (v) return v;
      }
      // Poetry / Pipfile: django = "^4.2" or django = "==4.2.*"
      const toml = /^\s*django\s*=\s*["']([^"']+)["']/i.exec(rawLine);
      if (toml) {
        const spec = toml[1]!.replace(/^\^(\d+)\.(\d+).*/, '>=$1.$2,<$1.99').replace(/^~(\d+)\.(\d+).*/, '==$1.$2.*');
        const v = spec === '*' ? undefined : seriesForSpecifier(spec, relative(root, f) || baseName(f));
        if (v) return v;
      }
    }
  }
  return undefined;
}

function prodFirst(path: string): number {
  const name = baseName(path).toLowerCase();
  if (/dev|test|local|ci|lint|doc/.test(name)) return 2;
  if (/prod|base|requirements\.txt/.test(name)) return 0;
  return 1;
}

// File access for the engine. The language server overlays open documents on the disk; the CLI and
// tests read the disk (or an in-memory map). Every read goes through here so a file's text is the
// same for every rule.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, normalize, relative, sep } from 'node:path';

export interface FileSystem {
  readFile(path: string): string | undefined;
  isFile(path: string): boolean;
  isDirectory(path: string): boolean;
  /** Directory entries (names only); empty when unreadable. */
  list(dir: string): { name: string; isDirectory: boolean }[];
  /**
   * Whether `dir/folders[0]/.../name` is a file, when that can be told without building the path
   * (from listings already read); undefined when it cannot. Optional: callers fall back to isFile.
   */
  fileUnder?(dir: string, folders: readonly string[], name: string): boolean | undefined;
}

/**
 * `[dirname(path), basename(path)]` for the paths the engine builds (normalised, no trailing
 * separator) by slicing at the last separator: import resolution asks about thousands of paths,
 * and path.dirname/basename's checks were a good part of its cost. Anything unusual (a root, a
 * drive, a trailing separator) goes through node:path.
 */
export function splitPath(path: string): [dir: string, name: string] {
  const cut = path.lastIndexOf(sep);
  if (cut <= 0 || cut === path.length - 1 || path[cut - 1] === ':' || path[cut - 1] === sep) return [dirname(path), basename(path)];
  return [path.slice(0, cut), path.slice(cut + 1)];
}

/**
 * Base names by path: rules filter every workspace file by name (a Dockerfile? requirements? a
 * URLconf?), 130,000 questions about 6,400 paths in one large project's analysis.
 */
const baseNames = new Map<string, string>();

/** The last component of a path the engine built (see splitPath). */
export function baseName(path: string): string {
  let name = baseNames.get(path);
  if (name === undefined) {
    const cut = path.lastIndexOf(sep);
    name = cut <= 0 || cut === path.length - 1 || path[cut - 1] === ':' || path[cut - 1] === sep ? basename(path) : path.slice(cut + 1);
    // Kept for every path a long editing session asks about, within reason.
    if (baseNames.size >= 250_000) baseNames.clear();
    baseNames.set(path, name);
  }
  return name;
}

/** A relative path with a '.' or '..' component, or an empty one. */
const UNUSUAL_COMPONENT = /(^|[\\/])\.{0,2}([\\/]|$)/;

/**
 * `path.relative(from, to)` with '/' separators (as globs, patterns and messages want them); a path
 * under `from` by slicing (rules ask this of every file of a project). Anything unusual goes
 * through node:path.
 */
export function relativePosix(from: string, to: string): string {
  if (to.length > from.length + 1 && to[from.length] === sep && to.startsWith(from) && !from.endsWith(sep)) {
    const rest = to.slice(from.length + 1);
    if (!UNUSUAL_COMPONENT.test(rest)) return sep === '/' ? rest : rest.split(sep).join('/');
  }
  return relative(from, to).split('\\').join('/');
}

export class DiskFileSystem implements FileSystem {
  readFile(path: string): string | undefined {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  }
  isFile(path: string): boolean {
    try {
      return statSync(path).isFile();
    } catch {
      return false;
    }
  }
  isDirectory(path: string): boolean {
    try {
      return statSync(path).isDirectory();
    } catch {
      return false;
    }
  }
  list(dir: string): { name: string; isDirectory: boolean }[] {
    try {
      return readdirSync(dir, { withFileTypes: true }).map((d) => ({
        name: d.name,
        isDirectory: d.isDirectory() || (d.isSymbolicLink() && this.isDirectory(join(dir, d.name))),
      }));
    } catch {
      return [];
    }
  }
}

/**
 * Remembers what the disk said until told otherwise: the analysis reads the same files on every
 * run, and the language server hears about every change from the file watcher.
 */
export class CachingFileSystem implements FileSystem {
  private texts = new Map<string, string | undefined>();
  private files = new Map<string, boolean>();
  /**
   * Directory listings, name → is a directory. Resolving imports asks whether `a/b.py` or
   * `a/b/__init__.py` exists for every name an import could mean: with the listing the workspace
   * walk already read, that is a lookup instead of a stat call.
   */
  private listings = new Map<string, Listing>();
  constructor(private readonly base: FileSystem) {}
  readFile(path: string): string | undefined {
    const known = this.texts.get(path);
    if (known !== undefined || this.texts.has(path)) return known;
    const text = this.base.readFile(path);
    this.texts.set(path, text);
    return text;
  }
  isFile(path: string): boolean {
    let hit = this.files.get(path);
    if (hit === undefined) {
      hit = this.fromListings(path) ?? this.base.isFile(path);
      this.files.set(path, hit);
    }
    return hit;
  }
  /**
   * What the listings say about a path: its folder's listing, or an ancestor's that lacks the next
   * folder down (`django/conf.py` under a root without `django/`). Undefined when no listing knows.
   */
  private fromListings(path: string): boolean | undefined {
    let [dir, name] = splitPath(path);
    const listing = this.listings.get(dir);
    if (listing) return listing.entries.get(name) === false;
    for (;;) {
      const [parent, below] = splitPath(dir);
      if (parent === dir) return undefined;
      const above = this.listings.get(parent);
      if (above) return above.entries.get(below) === true ? undefined : false;
      dir = parent;
      name = below;
    }
  }
  isDirectory(path: string): boolean {
    // A folder the walk listed knows its entries (symbolic links to folders included).
    const [dir, name] = splitPath(path);
    const listing = this.listings.get(dir);
    if (listing) return listing.entries.get(name) === true;
    return this.base.isDirectory(path);
  }
  /**
   * Import resolution asks whether `root/a/b.py` or `root/a/b/__init__.py` exists for every name an
   * import could mean (8,000 names in a large workspace): going down the listings by name spares
   * building and hashing each full path. Same answers as isFile from the listings.
   */
  fileUnder(dir: string, folders: readonly string[], name: string): boolean | undefined {
    let listing: Listing | undefined = this.listings.get(dir);
    if (!listing) return undefined;
    for (const folder of folders) {
      // Not listed as a folder (absent, or a file): nothing is under it.
      if (listing.entries.get(folder) !== true) return false;
      const below: Listing | undefined = listing.folders?.get(folder);
      // A folder the walk did not read (skipped, or not walked yet).
      if (!below) return undefined;
      listing = below;
    }
    return listing.entries.get(name) === false;
  }
  list(dir: string): { name: string; isDirectory: boolean }[] {
    const entries = this.base.list(dir);
    const listing: Listing = { entries: new Map(entries.map((e) => [e.name, e.isDirectory])), folders: undefined };
    // Linked to the listings of its folders read before (a folder read again after a change in it;
    // the walk reads a folder before the folders in it) and from its parent's.
    const prefix = dir.endsWith(sep) ? dir : dir + sep;
    for (const e of entries) {
      const below = e.isDirectory ? this.listings.get(prefix + e.name) : undefined;
      if (below) (listing.folders ??= new Map()).set(e.name, below);
    }
    this.unlink(dir);
    this.listings.set(dir, listing);
    const [parent, name] = splitPath(dir);
    const above = parent !== dir ? this.listings.get(parent) : undefined;
    if (above) (above.folders ??= new Map()).set(name, listing);
    return entries;
  }
  invalidate(path: string): void {
    this.texts.delete(path);
    this.files.delete(path);
    this.unlink(dirname(path));
  }
  /** Forgets the listing of `dir`, also as a folder of its parent's listing. */
  private unlink(dir: string): void {
    if (!this.listings.delete(dir)) return;
    const [parent, name] = splitPath(dir);
    if (parent !== dir) this.listings.get(parent)?.folders?.delete(name);
  }
  clear(): void {
    this.texts.clear();
    this.files.clear();
    this.listings.clear();
  }
}

/** A folder's entries (name → is a folder) and the listings of the folders in it that were read. */
interface Listing {
  entries: Map<string, boolean>;
  folders: Map<string, Listing> | undefined;
}

/** Open editor buffers shadow the disk. */
export class OverlayFileSystem implements FileSystem {
  readonly overlays = new Map<string, string>();
  constructor(private readonly base: FileSystem) {}
  readFile(path: string): string | undefined {
    return this.overlays.get(path) ?? this.base.readFile(path);
  }
  isFile(path: string): boolean {
    return this.overlays.has(path) || this.base.isFile(path);
  }
  fileUnder(dir: string, folders: readonly string[], name: string): boolean | undefined {
    const below = this.base.fileUnder?.(dir, folders, name);
    if (below !== false) return below;
    // A buffer for a file not on disk yet, which is rare: build the path only when a name matches.
    for (const path of this.overlays.keys()) if (path.endsWith(name) && path === join(dir, ...folders, name)) return true;
    return false;
  }
  isDirectory(path: string): boolean {
    return this.base.isDirectory(path);
  }
  list(dir: string): { name: string; isDirectory: boolean }[] {
    const entries = this.base.list(dir);
    // Buffers for files that do not exist on disk yet (a fix creating requirements.txt).
    for (const path of this.overlays.keys()) {
      if (dirname(path) !== dir) continue;
      const name = basename(path);
      if (!entries.some((e) => e.name === name)) entries.push({ name, isDirectory: false });
    }
    return entries;
  }
}

/**
 * Directories never worth walking: dependencies, VCS data, caches, build output, and gettext
 * catalogs (`locale/<lang>/LC_MESSAGES` holds .po and .mo files only, one folder per language and
 * app: two thirds of the folders of Horizon and of Django's own tree).
 */
export const SKIPPED_DIRECTORIES = new Set([
  'node_modules', '.git', '.hg', '.svn', '__pycache__', '.venv', 'venv', 'env', '.env', '.tox', '.nox',
  '.mypy_cache', '.pytest_cache', '.ruff_cache', 'site-packages', 'dist', 'build', '.eggs', 'htmlcov',
  '.idea', '.vscode', 'staticfiles', 'bower_components', '.cache', 'out-test', 'LC_MESSAGES',
]);

/** A gettext language folder's name: `fr`, `pt_BR`, `zh_Hans`, `sr@latin`, `ca@valencia`. */
const LANGUAGE_FOLDER = /^[a-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})?(?:@[a-z]+)?$/;

/**
 * A `locale` folder that is not a Python package holds gettext catalogs: `<lang>/LC_MESSAGES/*.po`,
 * one language folder per language (1,400 of the 3,000 folders of a workspace with Horizon and
 * Django's tree, each a directory read for nothing). Django's own `conf/locale` is a package with
 * `formats.py` in each language folder, and is walked.
 */
function holdsCatalogs(dir: string, entries: readonly { name: string; isDirectory: boolean }[]): boolean {
  return baseName(dir) === 'locale' && !entries.some((e) => e.name === '__init__.py' && !e.isDirectory);
}

/**
 * Walks a workspace and returns every file path, skipping dependency and cache folders and any path
 * a caller's exclude test rejects. Bounded by `maxFiles` so a stray home directory cannot stall us.
 */
export function walkFiles(fs: FileSystem, root: string, exclude: (path: string) => boolean = () => false, maxFiles = 200_000): string[] {
  const out: string[] = [];
  const stack = [normalize(root)];
  while (stack.length > 0 && out.length < maxFiles) {
    const dir = stack.pop()!;
    // `dir` is normalised already (the root, then names appended): path.join would normalise again.
    const prefix = dir.endsWith(sep) ? dir : dir + sep;
    const entries = fs.list(dir);
    const catalogs = holdsCatalogs(dir, entries);
    for (const entry of entries) {
      const path = prefix + entry.name;
      if (entry.isDirectory) {
        if (SKIPPED_DIRECTORIES.has(entry.name) || entry.name.endsWith('.egg-info') || (catalogs && LANGUAGE_FOLDER.test(entry.name)) || exclude(path)) continue;
        stack.push(path);
      } else if (!exclude(path)) {
        out.push(path);
        if (out.length >= maxFiles) break;
      }
    }
  }
  return out.sort();
}

/** Minimal glob → RegExp (`**`, `*`, `?`), matched against workspace-relative paths with `/`. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        re += '.*';
        i++;
        if (glob[i + 1] === '/') i++;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  // A pattern without a slash matches a name at any depth, like .gitignore.
  return glob.includes('/') ? new RegExp(`^${re}(/.*)?$`) : new RegExp(`(^|/)${re}(/.*)?$`);
}

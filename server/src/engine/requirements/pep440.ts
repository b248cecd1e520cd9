// PEP 440 versions and specifiers, the subset pip's `packaging` implements and our rules need:
// parsing with normalisation (alpha→a, c/pre/preview→rc, `-`/`_`/`.` separators, leading `v`),
// ordering (dev < pre < final < post; local labels after the public version), and specifier
// matching for `== != <= >= < > ~= ===` including `==X.*` prefixes and the `<`/`>` exclusions of
// pre- and post-releases. An unparseable version is `undefined` and never matched against
// anything (comparing such strings lexically is how OSV produced wrong matches; spec §b.5).

export interface Version {
  epoch: number;
  release: number[];
  pre?: { label: 'a' | 'b' | 'rc'; n: number };
  post?: number;
  dev?: number;
  local?: (number | string)[];
  /** The text it was parsed from. */
  text: string;
}

const VERSION_RE =
  /^\s*v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\d+)?)?(?:-(\d+)|[-_.]?(post|rev|r)[-_.]?(\d+)?)?(?:[-_.]?(dev)[-_.]?(\d+)?)?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$/i;

export function parseVersion(text: string): Version | undefined {
  const m = VERSION_RE.exec(text);
  if (!m) return undefined;
  const v: Version = { epoch: m[1] ? Number(m[1]) : 0, release: m[2]!.split('.').map(Number), text };
  if (m[3]) {
    const l = m[3].toLowerCase();
    const label = l === 'alpha' || l === 'a' ? 'a' : l === 'beta' || l === 'b' ? 'b' : 'rc';
    v.pre = { label, n: m[4] ? Number(m[4]) : 0 };
  }
  if (m[5] !== undefined) v.post = Number(m[5]);
  else if (m[6]) v.post = m[7] ? Number(m[7]) : 0;
  if (m[8]) v.dev = m[9] ? Number(m[9]) : 0;
  if (m[10]) v.local = m[10].toLowerCase().split(/[-_.]/).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  return v;
}

/** Canonical text (`1.0rc1`, `2!1.0.post2.dev3+abc.5`). */
export function formatVersion(v: Version): string {
  let s = (v.epoch ? `${v.epoch}!` : '') + v.release.join('.');
  if (v.pre) s += `${v.pre.label}${v.pre.n}`;
  if (v.post !== undefined) s += `.post${v.post}`;
  if (v.dev !== undefined) s += `.dev${v.dev}`;
  if (v.local) s += `+${v.local.join('.')}`;
  return s;
}

export function isPrerelease(v: Version): boolean {
  return v.pre !== undefined || v.dev !== undefined;
}

function cmpRelease(a: number[], b: number[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

const PRE_RANK = { a: 0, b: 1, rc: 2 } as const;

function cmpNum(a: number, b: number): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

/** PEP 440 ordering of public versions plus local labels (packaging's `_cmpkey`). */
export function compareVersions(a: Version, b: Version, ignoreLocal = false): number {
  if (a.epoch !== b.epoch) return cmpNum(a.epoch, b.epoch);
  const r = cmpRelease(a.release, b.release);
  if (r !== 0) return r;
  // Pre-release key: a dev-only release sorts before every pre-release; a final after all of them.
  const preKey = (v: Version): [number, number] =>
    v.pre ? [PRE_RANK[v.pre.label], v.pre.n] : v.post === undefined && v.dev !== undefined ? [-1, 0] : [3, 0];
  const [pa, pn] = preKey(a);
  const [pb, pbn] = preKey(b);
  if (pa !== pb) return cmpNum(pa, pb);
  if (pn !== pbn) return cmpNum(pn, pbn);
  const post = (v: Version) => (v.post === undefined ? -1 : v.post);
  if (post(a) !== post(b)) return cmpNum(post(a), post(b));
  const dev = (v: Version) => (v.dev === undefined ? Number.POSITIVE_INFINITY : v.dev);
  if (dev(a) !== dev(b)) return dev(a) < dev(b) ? -1 : 1;
  if (ignoreLocal) return 0;
  const la = a.local;
  const lb = b.local;
  if (!la && !lb) return 0;
  if (!la) return -1;
  if (!lb) return 1;
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    const x = la[i];
    const y = lb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (typeof x === 'number' && typeof y === 'number') {
      if (x !== y) return cmpNum(x, y);
    } else if (typeof x === 'number') return 1;
    else if (typeof y === 'number') return -1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export type Operator = '===' | '==' | '!=' | '<=' | '>=' | '<' | '>' | '~=';

export interface Specifier {
  op: Operator;
  /** The version text as written (may end in `.*`). */
  text: string;
  /** Parsed version (without the `.*`); undefined for `===` strings or invalid text. */
  version?: Version;
  wildcard: boolean;
}

const OPS: Operator[] = ['===', '~=', '==', '!=', '<=', '>=', '<', '>'];

/** One clause such as `>=4.2` or `== 4.2.*`; undefined when it is not a valid PEP 440 clause. */
export function parseSpecifier(clause: string): Specifier | undefined {
  const s = clause.trim();
  const op = OPS.find((o) => s.startsWith(o));
  if (!op) return undefined;
  const text = s.slice(op.length).trim();
  if (!text) return undefined;
  if (op === '===') return /\s/.test(text) ? undefined : { op, text, wildcard: false };
  const wildcard = text.endsWith('.*');
  if (wildcard && op !== '==' && op !== '!=') return undefined;
  const version = parseVersion(wildcard ? text.slice(0, -2) : text);
  if (!version) return undefined;
  if (wildcard && (version.local || version.dev !== undefined)) return undefined;
  if (op === '~=' && (version.release.length < 2 || version.local)) return undefined;
  if (version.local && op !== '==' && op !== '!=') return undefined;
  return { op, text, version, wildcard };
}

/** `>=4.2, <5.0` → specifiers; undefined when any clause is invalid (trailing comma included). */
export function parseSpecifierSet(text: string): Specifier[] | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const out: Specifier[] = [];
  for (const clause of trimmed.split(',')) {
    const spec = parseSpecifier(clause);
    if (!spec) return undefined;
    out.push(spec);
  }
  return out;
}

function prefixMatch(candidate: Version, prefix: Version): boolean {
  if (candidate.epoch !== prefix.epoch) return false;
  const n = prefix.release.length;
  const rel = candidate.release.slice(0, n);
  while (rel.length < n) rel.push(0);
  if (cmpRelease(rel, prefix.release) !== 0) return false;
  // `==1.0rc1.*` style prefixes also pin the suffixes they name.
  if (prefix.pre && (!candidate.pre || candidate.pre.label !== prefix.pre.label || candidate.pre.n !== prefix.pre.n)) return false;
  if (prefix.post !== undefined && candidate.post !== prefix.post) return false;
  return true;
}

function stripLocal(v: Version): Version {
  return v.local ? { ...v, local: undefined } : v;
}

/** Does one specifier admit the version? */
export function specifierContains(spec: Specifier, candidate: Version): boolean {
  if (spec.op === '===') return spec.text.toLowerCase() === candidate.text.trim().toLowerCase();
  const v = spec.version!;
  switch (spec.op) {
    case '==':
      if (spec.wildcard) return prefixMatch(stripLocal(candidate), v);
      return compareVersions(v.local ? candidate : stripLocal(candidate), v) === 0;
    case '!=':
      return !specifierContains({ ...spec, op: '==' }, candidate);
    case '<=':
      return compareVersions(stripLocal(candidate), v) <= 0;
    case '>=':
      return compareVersions(stripLocal(candidate), v) >= 0;
    case '<': {
      const c = stripLocal(candidate);
      if (compareVersions(c, v) >= 0) return false;
      // `<3.0` does not admit 3.0.0rc1 unless the bound is itself a pre-release.
      if (!isPrerelease(v) && isPrerelease(c) && cmpRelease(c.release, v.release) === 0 && c.epoch === v.epoch) return false;
      return true;
    }
    case '>': {
      const c = stripLocal(candidate);
      if (compareVersions(c, v) <= 0) return false;
      // `>1.7` does not admit 1.7.post1 unless the bound is itself a post-release.
      if (v.post === undefined && c.post !== undefined && cmpRelease(c.release, v.release) === 0 && c.epoch === v.epoch && !c.pre && !v.pre) return false;
      return true;
    }
    case '~=': {
      if (compareVersions(stripLocal(candidate), v) < 0) return false;
      const prefix: Version = { epoch: v.epoch, release: v.release.slice(0, -1), text: '' };
      return prefixMatch(stripLocal(candidate), prefix);
    }
  }
  return false;
}

/** Does the whole set admit the version? Pre-releases only when a clause names one (or `pre`). */
export function setContains(specs: Specifier[], candidate: Version, pre = false): boolean {
  if (isPrerelease(candidate) && !pre && !specs.some((s) => s.version && isPrerelease(s.version))) return false;
  return specs.every((s) => specifierContains(s, candidate));
}

/** `==X` (no wildcard) or `===X`: the one version the set pins, if any. */
export function pinnedVersion(specs: Specifier[]): Version | undefined {
  if (specs.length !== 1) {
    const exact = specs.filter((s) => (s.op === '==' && !s.wildcard) || s.op === '===');
    if (exact.length !== 1) return undefined;
    const v = exact[0]!.version ?? parseVersion(exact[0]!.text);
    return v && setContains(specs, v, true) ? v : undefined;
  }
  const s = specs[0]!;
  if (s.op === '==' && !s.wildcard) return s.version;
  if (s.op === '===') return parseVersion(s.text);
  return undefined;
}

/** Has the set an upper bound (`<`, `<=`, `==`, `==X.*`, `~=`)? */
export function hasUpperBound(specs: Specifier[]): boolean {
  return specs.some((s) => s.op === '<' || s.op === '<=' || s.op === '==' || s.op === '===' || s.op === '~=');
}

/**
 * The lowest version among `candidates` and the set's own lower bounds that the set admits, in PEP
 * 440 order. Used to ask "could this range install a version inside an advisory's range?".
 */
export function lowestAllowed(specs: Specifier[], candidates: Version[] = []): Version | undefined {
  const pool: Version[] = [...candidates];
  for (const s of specs) {
    if (!s.version) continue;
    if (s.op === '>=' || s.op === '~=' || (s.op === '==' && !s.wildcard)) pool.push(s.version);
    if (s.op === '==' && s.wildcard) pool.push({ ...s.version, text: formatVersion(s.version) });
    if (s.op === '>') {
      const rel = [...s.version.release];
      while (rel.length < 3) rel.push(0);
      rel[rel.length - 1]!++;
      pool.push({ epoch: s.version.epoch, release: rel, text: rel.join('.') });
    }
  }
  const ok = pool.filter((v) => setContains(specs, v)).sort((a, b) => compareVersions(a, b));
  return ok[0];
}

/** `4.2.11` → "4.2"; the feature series a version belongs to. */
export function seriesOf(v: Version): string {
  return `${v.release[0] ?? 0}.${v.release[1] ?? 0}`;
}

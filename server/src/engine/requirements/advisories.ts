// The bundled, dated advisory snapshot (server/src/engine/data/advisories.json) and the questions
// rules ask of it, all answered with PEP 440 ordering: which advisories affect a version, the
// lowest fixed version in the same series, whether a range admits an affected version, and which
// Django series are past end of support. Versions that do not parse are never matched.
import data from '../data/advisories.json';
import { compareVersions, formatVersion, lowestAllowed, parseVersion, seriesOf, setContains, type Specifier, type Version } from './pep440';

export interface AdvisoryRange {
  introduced: string;
  fixed?: string;
  /** The highest fixed version any source lists for this series. */
  recommended?: string;
}

export interface Advisory {
  id: string;
  aliases: string[];
  published: string;
  summary: string;
  severity: 'high' | 'moderate';
  cvss?: number;
  note?: string;
  ranges: AdvisoryRange[];
}

export const SNAPSHOT = {
  date: data.snapshotDate,
  source: data.source,
  license: data.license,
  curation: data.curation,
};

/** "advisory data as of 2025-12-02" — shown in every vulnerability message. */
export const AS_OF = `advisory data as of ${SNAPSHOT.date}`;

const PACKAGES = data.packages as Record<string, { advisories: Advisory[] }>;

export function watchedPackages(): string[] {
  return Object.keys(PACKAGES);
}

export function advisoriesFor(key: string): Advisory[] {
  return PACKAGES[key]?.advisories ?? [];
}

/** The advisory range containing v, if any. */
function rangeHit(a: Advisory, v: Version): AdvisoryRange | undefined {
  for (const r of a.ranges) {
    const intro = parseVersion(r.introduced);
    const fixed = r.fixed ? parseVersion(r.fixed) : undefined;
    if (!intro || (r.fixed && !fixed)) continue;
    if (compareVersions(v, intro, true) < 0) continue;
    if (fixed && compareVersions(v, fixed, true) >= 0) continue;
    return r;
  }
  return undefined;
}

export interface Hit {
  advisory: Advisory;
  range: AdvisoryRange;
}

export function affecting(key: string, v: Version): Hit[] {
  const out: Hit[] = [];
  for (const a of advisoriesFor(key)) {
    const r = rangeHit(a, v);
    if (r) out.push({ advisory: a, range: r });
  }
  return out;
}

/**
 * The lowest version at or above v that no advisory affects, taking each affecting advisory's
 * recommended fix (the highest any source lists) and repeating until stable. undefined when an
 * affecting range has no fix.
 */
export function lowestSafe(key: string, v: Version): Version | undefined {
  let current = v;
  for (let guard = 0; guard < 20; guard++) {
    const hits = affecting(key, current);
    if (hits.length === 0) return current;
    let next: Version | undefined;
    for (const h of hits) {
      const f = parseVersion(h.range.recommended ?? h.range.fixed ?? '');
      if (!f) return undefined;
      if (!next || compareVersions(f, next) > 0) next = f;
    }
    current = next!;
  }
  return undefined;
}

/**
 * Could a specifier set install an affected version? Checks the lowest version the set admits
 * among its own bounds and every advisory's introduced/fixed boundaries (the range and an
 * advisory interval intersect iff the larger lower bound lies in both).
 */
export function lowestAffected(key: string, specs: Specifier[]): { version: Version; hits: Hit[] } | undefined {
  const candidates: Version[] = [];
  for (const a of advisoriesFor(key)) {
    for (const r of a.ranges) {
      const intro = parseVersion(r.introduced === '0' ? '0.0.1' : r.introduced);
      if (intro) candidates.push(intro);
    }
  }
  // Lowest admitted version overall, then the lowest admitted candidate inside any range.
  const pool = [lowestAllowed(specs, []), ...candidates].filter((v): v is Version => !!v && setContains(specs, v));
  pool.sort((a, b) => compareVersions(a, b));
  for (const v of pool) {
    const hits = affecting(key, v);
    if (hits.length > 0) return { version: v, hits };
  }
  return undefined;
}

export function describeHits(hits: Hit[], max = 3): string {
  const sorted = [...hits].sort((a, b) => (b.advisory.cvss ?? (b.advisory.severity === 'high' ? 7 : 0)) - (a.advisory.cvss ?? (a.advisory.severity === 'high' ? 7 : 0)) || (b.advisory.published < a.advisory.published ? -1 : b.advisory.published > a.advisory.published ? 1 : 0));
  const label = (h: Hit) => {
    const cve = [h.advisory.id, ...h.advisory.aliases].find((x) => x.startsWith('CVE-')) ?? h.advisory.id;
    const s = h.advisory.summary;
    const lead = /^[A-Z][a-z]/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s;
    return `${cve} (${lead}${h.advisory.cvss ? `, CVSS ${h.advisory.cvss}` : ''})`;
  };
  const shown = sorted.slice(0, max).map(label);
  const more = sorted.length - shown.length;
  return shown.join(', ') + (more > 0 ? ` and ${more} more` : '');
}

export function anyHigh(hits: Hit[]): boolean {
  return hits.some((h) => h.advisory.severity === 'high' || (h.advisory.cvss ?? 0) >= 7);
}

// ------------------------------------------------------------------ Django series

interface SeriesInfo {
  eol: string;
  lts?: boolean;
  latest: string;
}

const SERIES = data.django.series as Record<string, SeriesInfo>;
const PYTHON = data.django.python as unknown as Record<string, [string, string] | string>;

function seriesKeyCompare(a: string, b: string): number {
  return compareVersions(parseVersion(a)!, parseVersion(b)!);
}

export function djangoSeriesInfo(series: string): SeriesInfo | undefined {
  return SERIES[series];
}

/** End-of-support date of a series; series older than the table are long past it. */
export function djangoEol(series: string): string | undefined {
  const info = SERIES[series];
  if (info) return info.eol;
  const oldest = Object.keys(SERIES).sort(seriesKeyCompare)[0]!;
  return seriesKeyCompare(series, oldest) < 0 ? SERIES[oldest]!.eol : undefined;
}

export function isPastEol(series: string, today: Date = new Date()): boolean {
  const eol = djangoEol(series);
  return eol !== undefined && new Date(`${eol}T00:00:00Z`).getTime() <= today.getTime();
}

/** The newest LTS series still supported at `today`, with its latest known patch release. */
export function currentLts(today: Date = new Date()): { series: string; latest: string } {
  const lts = Object.entries(SERIES)
    .filter(([s, i]) => i.lts && !isPastEol(s, today))
    .sort((a, b) => seriesKeyCompare(b[0], a[0]));
  const [series, info] = lts[0] ?? Object.entries(SERIES).sort((a, b) => seriesKeyCompare(b[0], a[0]))[0]!;
  return { series, latest: info.latest };
}

export function latestInSeries(series: string): string | undefined {
  return SERIES[series]?.latest;
}

/** Python minor versions a Django series supports, when known. */
export function djangoPythonRange(series: string): [string, string] | undefined {
  const r = PYTHON[series];
  return Array.isArray(r) ? r : undefined;
}

export function seriesOfText(text: string): string | undefined {
  const v = parseVersion(text);
  return v ? seriesOf(v) : undefined;
}

export { formatVersion };

/** Markdown paragraph for rule docs: where the data comes from and how old it is. */
export function snapshotDocs(): string {
  return `Advisory data: a ${SNAPSHOT.curation} snapshot dated **${SNAPSHOT.date}** from the ${SNAPSHOT.source}, bundled in
\`server/src/engine/data/advisories.json\` and rebuilt by \`scripts/update-advisories.mjs\`. ${SNAPSHOT.license}
Advisories published after the snapshot date are not known to the extension.`;
}

// Benchmarks (issue 8). Prints one JSON object per line: the bench name, its numbers and the machine.
//   scan             the CLI's full analysis of a workspace in fresh processes (--scan-runs, default 5):
//                    files, median and fastest time, peak RSS, with the parse cache of an earlier
//                    run and without it (--no-cache), and the first run
//   projects         the engine's project model of the workspace, and the files the benches below edit
//   keystroke        N single-character edits (--edits, default 500) at the end of the largest module
//                    the production settings evaluate (see keystrokeCandidates), through the real language server (debounce off): ms from sending each
//                    change (the client's own copy of the text already updated) to its publishDiagnostics
//                    (firstEditMs apart: the first edit after opening also pays for warming caches)
//   keystroke-middle the same, typing inside a string literal in the middle of that module, where an
//                    edit invalidates more than an append at the end does
//   cross-file       100 edits (appended, then removed) in a module that another settings module
//                    star-imports (base.py under production.py): ms to the importer's republish
//   activation       server start to first diagnostics on the example project, and the bundle sizes
// Percentiles are nearest-rank: the p95 of 100 samples is the 95th smallest (the max is reported apart).
// Without --workspace a large synthetic Django workspace is generated (bench/synthetic.ts). With it,
// the files to edit are picked from the engine's project model, so any layout works (real
// repositories: scripts/real-projects.sh prepares some).
//
//   node scripts/bench.mjs [--workspace DIR] [--edits N] [--only scan,keystroke,...] [--keystroke-file PATH] [--scan-runs N] [--json]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Analyzer } from '../server/src/engine/analyzer';
import type { DjangoProject } from '../server/src/engine/project/model';
import type { Finding } from '../server/src/engine/types';
import { LspTestClient, uriOf } from '../test/lsp/harness';
import { REPO_ROOT } from '../test/helpers/engine';
import { generateWorkspace } from './synthetic';

const BENCHES = ['scan', 'projects', 'keystroke', 'keystroke-middle', 'cross-file', 'activation'] as const;
type BenchName = (typeof BENCHES)[number];
const CROSS_FILE_EDITS = 100;

const args = process.argv.slice(2);
function option(name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}
const given = option('--workspace');
const edits = Number(option('--edits') ?? 500);
const scanRuns = Number(option('--scan-runs') ?? 5);
const only = option('--only')?.split(',').map((s) => s.trim()).filter(Boolean);
if (!Number.isInteger(edits) || edits < 2) usage('--edits needs a whole number of at least 2');
if (!Number.isInteger(scanRuns) || scanRuns < 1) usage('--scan-runs needs a whole number of at least 1');
for (const name of only ?? []) if (!(BENCHES as readonly string[]).includes(name)) usage(`unknown bench "${name}" (one of ${BENCHES.join(', ')})`);
const wants = (name: BenchName) => !only || only.includes(name);
const machine = { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version };

function usage(message: string): never {
  process.stderr.write(`bench: ${message}\nusage: node scripts/bench.mjs [--workspace DIR] [--edits N] [--only ${BENCHES.join(',')}] [--keystroke-file PATH] [--scan-runs N] [--json]\n`);
  process.exit(2);
}

// One JSON object per line, with or without --json (kept as an accepted no-op for older callers).
function emit(name: string, numbers: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify({ bench: name, ...numbers, machine }) + '\n');
}

const round = (x: number) => Math.round(x * 100) / 100;

function quantiles(values: number[]): { p50: number; p95: number; max: number; mean: number } {
  const s = [...values].sort((a, b) => a - b);
  // Nearest rank: the smallest value at least p of the samples do not exceed (of 20 samples, the
  // p95 is the 19th; the 20th is the max, reported as such).
  const q = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
  return { p50: round(q(0.5)), p95: round(q(0.95)), max: round(s[s.length - 1]!), mean: round(s.reduce((a, b) => a + b, 0) / s.length) };
}

const lineCount = (path: string) => readFileSync(path, 'utf8').split('\n').length;

/**
 * The CLI in fresh processes, `scanRuns` times each way (a shared 2-core machine varies by 10-20%
 * from one run to the next): with the parse cache (parsing/parseCache.ts) holding the trees of an
 * earlier run, as in a second run on a workspace, and with `--no-cache`, every module parsed. The
 * two alternate, after one run that fills the parse cache and the CLI's code cache (lsp/codeCache.ts),
 * kept in a folder of the bench's own so that nothing from an earlier bench counts. Reported: the
 * median and the fastest run of each. NODE_EXTRA_CA_CERTS is left out of the CLI's environment:
 * Node parses that bundle at start-up (about 60 ms here), and the CLI makes no TLS connection.
 */
function scan(root: string): void {
  const cli = join(REPO_ROOT, 'server/out/cli.js');
  const rss = join(REPO_ROOT, 'bench/report-rss.cjs');
  const cacheDir = mkdtempSync(join(tmpdir(), 'djr-bench-cache-'));
  const env: NodeJS.ProcessEnv = { ...process.env, DJANGO_READINESS_CACHE_DIR: cacheDir };
  delete env.NODE_EXTRA_CA_CERTS;
  interface Run {
    wall: number;
    analysis: number;
    rssKB: number;
    stats: { filesDiscovered?: number; filesParsed?: number; ms?: number; findings?: number; codeCache?: string; parseCache?: { hits: number; misses: number } | 'off' };
  }
  const once = (extra: string[]): Run => {
    const started = performance.now();
    const r = spawnSync(process.execPath, ['-r', rss, cli, 'check', root, '--format', 'json', '--stats', ...extra], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env });
    const wall = performance.now() - started;
    const stats = JSON.parse(r.stderr.split('\n').find((l) => l.startsWith('{')) ?? '{}') as Run['stats'];
    return { wall, analysis: stats.ms ?? 0, rssKB: Number(/@@maxrss (\d+)/.exec(r.stderr)?.[1] ?? 0), stats };
  };
  try {
    const first = once([]);
    const cached: Run[] = [];
    const uncached: Run[] = [];
    for (let i = 0; i < scanRuns; i++) {
      cached.push(once([]));
      uncached.push(once(['--no-cache']));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
    const summary = (runs: Run[]) => ({
      totalMs: Math.round(median(runs.map((r) => r.wall))),
      fastestMs: Math.round(Math.min(...runs.map((r) => r.wall))),
      analysisMs: Math.round(median(runs.map((r) => r.analysis))),
      peakRssMB: Math.round(Math.max(...runs.map((r) => r.rssKB)) / 1024),
    });
    const last = cached[cached.length - 1]!.stats;
    emit('scan', {
      workspace: root,
      filesDiscovered: last.filesDiscovered,
      filesParsed: last.filesParsed,
      findings: last.findings,
      runs: scanRuns,
      // Trees of unchanged modules from the parse cache (a second run on the workspace).
      ...summary(cached),
      parseCache: last.parseCache,
      // Every module parsed (`--no-cache`; also what a first run costs, less writing the cache).
      noParseCache: summary(uncached),
      firstRunMs: Math.round(first.wall),
      codeCache: last.codeCache,
    });
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------ picking the files to edit

/** A module `importer` star-imports, and a one-line edit of `imported` that changes the importer's findings. */
interface CrossPair {
  importer: string;
  imported: string;
  /** Appended to `imported`, then removed; undefined when no candidate changes the importer's findings. */
  edit?: string;
  /** Finding codes of the importer the edit adds or removes. */
  toggles: string[];
}

interface Targets {
  /** The largest module (by lines) the production settings evaluate: where keystrokes are typed. */
  keystroke?: string;
  crossFile?: CrossPair;
}

const STAR_IMPORT = /^[ \t]*from[ \t]+(\.*)([A-Za-z_][\w.]*)?[ \t]+import[ \t]*\*/gm;

/** The workspace files `file` star-imports (`from .base import *`, `from pkg.settings.base import *`). */
function starImports(file: string, importRoots: string[]): string[] {
  const out: string[] = [];
  for (const m of readFileSync(file, 'utf8').matchAll(STAR_IMPORT)) {
    const dots = m[1]!.length;
    const rel = (m[2] ?? '').split('.').filter(Boolean).join(sep);
    let bases = importRoots;
    if (dots > 0) {
      let dir = dirname(file);
      for (let i = 1; i < dots; i++) dir = dirname(dir);
      bases = [dir];
    }
    const found = bases.flatMap((b) => (rel ? [join(b, `${rel}.py`), join(b, rel, '__init__.py')] : [join(b, '__init__.py')])).find((p) => existsSync(p));
    if (found && found !== file && !out.includes(found)) out.push(found);
  }
  return out;
}

/**
 * Importer/imported pairs, best first: the production settings and what they star-import, then any
 * settings module star-importing another settings module, development and test ones last (most
 * findings are reported on the production settings, so an edit is likeliest to toggle one there).
 */
function crossFileCandidates(projects: DjangoProject[]): { importer: string; imported: string }[] {
  const pairs: { importer: string; imported: string }[] = [];
  const order = { production: 0, base: 1, unknown: 2, dev: 3, test: 4 } as const;
  for (const project of projects) {
    const settings = new Set(project.settingsModules.map((m) => m.path));
    const importers = [...project.settingsModules].sort((a, b) => (a.path === project.production?.path ? -1 : b.path === project.production?.path ? 1 : order[a.role] - order[b.role]));
    for (const s of importers) {
      for (const imported of starImports(s.path, project.importRoots)) {
        if (settings.has(imported) || s.path === project.production?.path) pairs.push({ importer: s.path, imported });
      }
    }
  }
  // Production importers of every project before the other pairs.
  const prod = new Set(projects.map((p) => p.production?.path));
  return [...pairs.filter((p) => prod.has(p.importer)), ...pairs.filter((p) => !prod.has(p.importer))];
}

/**
 * The modules the production settings evaluate: the production module and what it star-imports,
 * transitively. Settings modules are found by name, and names mislead in real repositories
 * (horizon's openstack_dashboard/utils/settings.py is a helper library, postorius's
 * test_list_settings.py a test), so keystrokes go where production's settings really are. Without a
 * production module: every settings module but test ones.
 */
function keystrokeCandidates(projects: DjangoProject[]): string[] {
  const out = new Set<string>();
  for (const project of projects) {
    const queue = project.production ? [project.production.path] : [];
    while (queue.length > 0) {
      const file = queue.shift()!;
      if (out.has(file)) continue;
      out.add(file);
      queue.push(...starImports(file, project.importRoots));
    }
  }
  if (out.size > 0) return [...out];
  return projects.flatMap((p) => p.settingsModules.filter((m) => m.role !== 'test').map((m) => m.path));
}

const largest = (files: string[]) => files.map((path) => ({ path, lines: lineCount(path) })).sort((a, b) => b.lines - a.lines)[0]?.path;

/**
 * Settings lines to append to the imported module, each likely to change a finding located in the
 * importer: SECURE_HSTS_PRELOAD toggles DJ-SEC-024 when HSTS is configured, DEBUG = True toggles
 * DJ-SEC-001 when DEBUG is otherwise off, the cookie and redirect settings remove "not set" findings
 * reported on the production module. Which one works depends on the project, so each is tried in
 * process first (see pickTargets).
 */
const CANDIDATE_EDITS = [
  'SECURE_HSTS_PRELOAD = True',
  'DEBUG = True',
  'SESSION_COOKIE_SECURE = True',
  'CSRF_COOKIE_SECURE = True',
  'SECURE_SSL_REDIRECT = True',
  'SECURE_HSTS_SECONDS = 31536000',
  'ALLOWED_HOSTS = ["*"]',
  'SECRET_KEY = "changeme"',
  'EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"',
  'LOGGING = {}',
];
const MAX_PAIRS_TRIED = 6;

/** `text` with `line` appended on a line of its own. */
const appendLine = (text: string, line: string) => `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${line}\n`;

function findingsIn(findings: Finding[], file: string): Map<string, string> {
  // Keyed by code and message (not line: an edit elsewhere in the file may move them).
  const out = new Map<string, string>();
  for (const f of findings) if (f.file === file) out.set(`${f.code} ${f.message}`, f.code);
  return out;
}

async function pickTargets(root: string): Promise<Targets> {
  const t0 = performance.now();
  const analyzer = await Analyzer.create(root);
  try {
    const projects = analyzer.projects();
    const discoveryMs = performance.now() - t0;
    const keystroke = largest(keystrokeCandidates(projects));
    const rel = (p: string | undefined) => (p === undefined ? undefined : relative(root, p) || '.');

    let crossFile: CrossPair | undefined;
    const candidates = wants('cross-file') || wants('projects') ? crossFileCandidates(projects) : [];
    if (candidates.length > 0) {
      // Try the candidate edits in process, on the engine the server runs, and keep the first that
      // changes the importer's findings: the server republishes a file only when its findings change.
      const before = analyzer.analyze().findings;
      for (const pair of candidates.slice(0, MAX_PAIRS_TRIED)) {
        const original = readFileSync(pair.imported, 'utf8');
        const was = findingsIn(before, pair.importer);
        for (const edit of CANDIDATE_EDITS) {
          analyzer.setDocument(pair.imported, appendLine(original, edit));
          const now = findingsIn(analyzer.analyze().findings, pair.importer);
          const changed = [...[...was.keys()].filter((k) => !now.has(k)), ...[...now.keys()].filter((k) => !was.has(k))];
          const toggles = [...new Set(changed.map((k) => was.get(k) ?? now.get(k)!))].sort();
          if (toggles.length > 0) {
            crossFile = { ...pair, edit, toggles };
            break;
          }
        }
        analyzer.setDocument(pair.imported, original);
        analyzer.closeDocument(pair.imported);
        if (crossFile) break;
      }
      crossFile ??= { ...candidates[0]!, toggles: [] };
    }

    if (wants('projects')) {
      emit('projects', {
        workspace: root,
        discoveryMs: Math.round(discoveryMs),
        projects: projects.map((p) => ({
          root: rel(p.root),
          managePy: rel(p.managePy),
          production: p.production ? `${p.production.moduleName} (${p.productionReason})` : null,
          settingsModules: p.settingsModules.length,
          djangoVersion: `${p.djangoVersion.major}.${p.djangoVersion.minor} (${p.djangoVersion.source})`,
        })),
        keystrokeFile: keystroke ? `${rel(keystroke)} (${lineCount(keystroke)} lines)` : null,
        crossFile: crossFile ? { importer: rel(crossFile.importer), imported: rel(crossFile.imported), edit: crossFile.edit ?? null, toggles: crossFile.toggles } : null,
      });
    }
    return { keystroke, crossFile };
  } finally {
    analyzer.dispose();
  }
}

// ------------------------------------------------------------------ language-server benches

/**
 * Opens `file` and waits until the server has finished analysing: the file's first diagnostics (at
 * startup possibly a quick settings-only round, which sends no status notification), then a status
 * notification (sent after every complete analysis round), then a moment of quiet. Otherwise the
 * first timed edit would queue behind the rest of the startup analysis. The first analysis of a large
 * workspace can outlast the harness's 15 s per-wait limit, so this polls with a limit of its own.
 * Returns the ms from opening to the first diagnostics and to the end of the first complete round.
 */
async function openAndSettle(client: LspTestClient, file: string, limitMs = 15 * 60_000): Promise<{ firstDiagnosticsMs: number; analysedMs: number }> {
  const uri = uriOf(file);
  const published = client.publishCounts.get(uri) ?? 0;
  const statuses = client.statuses.length;
  const t0 = performance.now();
  let firstDiagnosticsMs: number | undefined;
  await client.open(file);
  while (firstDiagnosticsMs === undefined || client.statuses.length <= statuses) {
    if (performance.now() - t0 > limitMs) throw new Error(`the server did not finish analysing within ${limitMs} ms of opening ${file}`);
    await sleep(5);
    if (firstDiagnosticsMs === undefined && (client.publishCounts.get(uri) ?? 0) > published) firstDiagnosticsMs = performance.now() - t0;
  }
  const analysedMs = performance.now() - t0;
  for (let seen = client.statuses.length; ; seen = client.statuses.length) {
    await sleep(300);
    if (client.statuses.length === seen) break;
  }
  return { firstDiagnosticsMs: Math.round(firstDiagnosticsMs), analysedMs: Math.round(analysedMs) };
}

/** Where to type in the middle of a module: inside a plain one-line string literal near its middle line. */
function middleOfStringLiteral(text: string): { line: number; character: number; literal: string } | undefined {
  const lines = text.split('\n');
  let inTriple: string | undefined;
  let best: { line: number; character: number; literal: string } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    // Skip triple-quoted blocks (docstrings) and the lines that open or close them.
    if (inTriple) {
      if ((l.split(inTriple).length - 1) % 2 === 1) inTriple = undefined;
      continue;
    }
    const triple = /"""|'''/.exec(l);
    if (triple) {
      if ((l.split(triple[0]).length - 1) % 2 === 1) inTriple = triple[0];
      continue;
    }
    if (/^\s*#/.test(l)) continue;
    // A literal without prefix (f, r, b), escapes or '#', after an operator, bracket or space.
    const m = /(^|[\s=([{,:])(["'])([^"'\\#\n]+)\2/.exec(l);
    if (!m) continue;
    const quote = m.index + m[1]!.length;
    const hash = l.indexOf('#');
    if (hash >= 0 && hash < quote) continue;
    const candidate = { line: i, character: quote + 1 + Math.floor(m[3]!.length / 2), literal: `${m[2]}${m[3]}${m[2]}` };
    if (!best || Math.abs(i - lines.length / 2) < Math.abs(best.line - lines.length / 2)) best = candidate;
  }
  return best;
}

async function keystroke(root: string, settingsFile: string, where: 'end' | 'middle'): Promise<void> {
  const name = where === 'end' ? 'keystroke' : 'keystroke-middle';
  let spot: { line: number; character: number; literal?: string } | undefined;
  if (where === 'middle') {
    spot = middleOfStringLiteral(readFileSync(settingsFile, 'utf8'));
    if (!spot) {
      process.stderr.write(`${name}: no plain string literal in ${settingsFile}: skipped\n`);
      return;
    }
  }
  const client = await LspTestClient.start({ folders: [root], config: { debounceMs: 0 } });
  try {
    const uri = uriOf(settingsFile);
    const { firstDiagnosticsMs, analysedMs } = await openAndSettle(client, settingsFile);
    const lines = client.text(settingsFile).split('\n');
    const timings: number[] = [];
    for (let i = 0; i < edits; i++) {
      // Type a character, then delete it: the module stays valid Python and returns to its text.
      // At the end, '#' (a comment); in the middle, a letter inside a string literal.
      const line = spot?.line ?? lines.length - 1;
      // Every other edit deletes the character the one before typed: the line is back as it was.
      const col = spot?.character ?? lines[line]!.length;
      const at = { line, character: col };
      const change = i % 2 === 0
        ? { range: { start: at, end: at }, text: where === 'end' ? '#' : 'x' }
        : { range: { start: at, end: { line, character: col + 1 } }, text: '' };
      const published = client.nextDiagnostics(uri);
      let t0 = performance.now();
      await client.change(settingsFile, [change], () => (t0 = performance.now()));
      await published;
      timings.push(performance.now() - t0);
    }
    emit(name, { workspace: root, file: relative(root, settingsFile), lines: lines.length, ...(spot ? { at: { line: spot.line + 1, literal: spot.literal } } : {}), firstDiagnosticsMs, analysedMs, firstEditMs: round(timings[0]!), edits: timings.length, ...quantiles(timings) });
  } finally {
    await client.shutdown();
  }
}

async function crossFile(root: string, pair: CrossPair): Promise<void> {
  const { importer, imported } = pair;
  if (!pair.edit) {
    process.stderr.write(`cross-file: no candidate edit of ${relative(root, imported)} changes the findings of ${relative(root, importer)}, so the server never republishes it: timing the analysis round (status notification) instead\n`);
  }
  const edit = pair.edit ?? 'SECURE_HSTS_PRELOAD = True';
  const client = await LspTestClient.start({ folders: [root], config: { debounceMs: 0 } });
  try {
    const importerUri = uriOf(importer);
    await openAndSettle(client, imported);
    const timings: number[] = [];
    let appendedAt: { line: number; character: number } | undefined;
    for (let i = 0; i < CROSS_FILE_EDITS; i++) {
      const text = client.text(imported);
      const lines = text.split('\n');
      const end = { line: lines.length - 1, character: lines[lines.length - 1]!.length };
      // Append the edit on a line of its own, then remove exactly what was appended.
      const change = appendedAt === undefined
        ? { range: { start: end, end }, text: appendLine(text, edit).slice(text.length) }
        : { range: { start: appendedAt, end }, text: '' };
      appendedAt = appendedAt === undefined ? end : undefined;
      // The server republishes the importer only when its findings change, which the chosen edit
      // does on both the append and the removal; without one, the end of the analysis round is all
      // there is to wait for.
      const done = pair.edit ? client.nextDiagnostics(importerUri) : client.nextStatus();
      let t0 = performance.now();
      await client.change(imported, [change], () => (t0 = performance.now()));
      await done;
      timings.push(performance.now() - t0);
    }
    emit('cross-file', {
      workspace: root,
      edited: relative(root, imported),
      republished: relative(root, importer),
      edit,
      toggles: pair.toggles,
      waitedFor: pair.edit ? 'importer publishDiagnostics' : 'status notification',
      firstEditMs: round(timings[0]!),
      edits: timings.length,
      ...quantiles(timings),
    });
  } finally {
    await client.shutdown();
  }
}

/**
 * Spawning the server to its first diagnostics, once with empty caches (a first start: no code
 * cache, no parse cache) and then `scanRuns` times with the caches that start wrote (every later
 * start): the median and the fastest of those. The caches live in a folder of the bench's own.
 */
async function activation(): Promise<void> {
  const example = join(REPO_ROOT, 'example');
  const settings = join(example, 'shop/settings.py');
  const cacheDir = mkdtempSync(join(tmpdir(), 'djr-bench-cache-'));
  const saved = process.env.DJANGO_READINESS_CACHE_DIR;
  // The server inherits the environment (LspTestClient).
  process.env.DJANGO_READINESS_CACHE_DIR = cacheDir;
  const times: number[] = [];
  let firstRunMs = 0;
  try {
    for (let i = 0; i <= scanRuns; i++) {
      const t0 = performance.now();
      const client = await LspTestClient.start({ folders: [example], config: { debounceMs: 0 } });
      try {
        await client.diagnosticsFor(uriOf(settings), (d) => d.length > 0);
        const ms = performance.now() - t0;
        if (i === 0) firstRunMs = ms;
        else times.push(ms);
        // The caches are written after the first full analysis.
        if (i === 0) for (let w = 0; w < 100 && !client.logs.some((l) => l.includes('parse cache of')); w++) await sleep(20);
      } finally {
        await client.shutdown();
      }
    }
  } finally {
    if (saved === undefined) delete process.env.DJANGO_READINESS_CACHE_DIR;
    else process.env.DJANGO_READINESS_CACHE_DIR = saved;
    rmSync(cacheDir, { recursive: true, force: true });
  }
  {
    const sorted = [...times].sort((a, b) => a - b);
    const ms = sorted[Math.floor((sorted.length - 1) / 2)]!;
    const size = (p: string) => (existsSync(p) ? statSync(p).size : 0);
    // The server may be split (a small loader and the code it loads): count every script the server
    // ships, which is everything in server/out but the CLI and the source maps.
    const serverBundle = readdirSync(join(REPO_ROOT, 'server/out')).filter((f) => f.endsWith('.js') && f !== 'cli.js' && f !== 'cli-main.js').sort();
    emit('activation', {
      workspace: 'example',
      serverStartToFirstDiagnosticsMs: Math.round(ms),
      fastestMs: Math.round(sorted[0]!),
      runs: times.length,
      firstRunMs: Math.round(firstRunMs),
      clientBundleKB: Math.round(size(join(REPO_ROOT, 'client/out/extension.js')) / 1024),
      serverBundleKB: Math.round(serverBundle.reduce((n, f) => n + size(join(REPO_ROOT, 'server/out', f)), 0) / 1024),
      serverBundleFiles: serverBundle,
      note: 'from spawning the server to its first publishDiagnostics: median of the starts after the first (firstRunMs: empty code and parse caches); VS Code adds its own extension-host start',
    });
  }
}

async function main(): Promise<void> {
  let root = given;
  let generated: string | undefined;
  if (!root) {
    generated = mkdtempSync(join(tmpdir(), 'djr-bench-'));
    const { files, bytes } = generateWorkspace(generated);
    process.stderr.write(`generated a synthetic workspace: ${files} Python files, ${(bytes / 1e6).toFixed(1)} MB, in ${generated}\n`);
    root = generated;
  } else if (!existsSync(root) || !statSync(root).isDirectory()) {
    usage(`--workspace ${root} is not a folder`);
  }
  try {
    if (wants('scan')) scan(root);
    if (wants('projects') || wants('keystroke') || wants('keystroke-middle') || wants('cross-file')) {
      const targets = await pickTargets(root);
      // --keystroke-file types in another module (a views.py, say) instead of the settings.
      const typedIn = option('--keystroke-file');
      if (typedIn) targets.keystroke = resolve(root, typedIn);
      if (wants('keystroke') || wants('keystroke-middle')) {
        if (!targets.keystroke) process.stderr.write('keystroke: the engine found no settings module in this workspace: skipped\n');
        else {
          if (wants('keystroke')) await keystroke(root, targets.keystroke, 'end');
          if (wants('keystroke-middle')) await keystroke(root, targets.keystroke, 'middle');
        }
      }
      if (wants('cross-file')) {
        if (!targets.crossFile) process.stderr.write('cross-file: no settings module star-imports another workspace module (from .base import *): skipped\n');
        else await crossFile(root, targets.crossFile);
      }
    }
    if (wants('activation')) await activation();
  } finally {
    if (generated) rmSync(generated, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : e}\n`);
  process.exit(1);
});

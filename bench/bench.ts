// Benchmarks (issue 8). Prints one JSON object per line: the bench name, its numbers and the machine.
//   scan       the CLI's full analysis of a workspace in a fresh process: files, time, peak RSS
//   keystroke  500 single-character incremental edits to a settings module of about 3,000 lines through the
//              real language server (debounce off): ms from each change to its publishDiagnostics
//   cross-file an edit in base.py that production.py star-imports: ms to production.py's republish
//   activation server start to first diagnostics on the example project, and the bundle sizes
// Without --workspace a large synthetic Django workspace is generated (bench/synthetic.mjs).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { LspTestClient, uriOf } from '../test/lsp/harness';
import { REPO_ROOT } from '../test/helpers/engine';
import { generateWorkspace } from './synthetic';

const args = process.argv.slice(2);
const json = args.includes('--json');
const wsIndex = args.indexOf('--workspace');
const given = wsIndex >= 0 ? args[wsIndex + 1] : undefined;
const machine = { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', node: process.version };

function emit(name: string, numbers: Record<string, unknown>): void {
  const line = { bench: name, ...numbers, machine };
  if (json) process.stdout.write(JSON.stringify(line) + '\n');
  else process.stdout.write(JSON.stringify(line) + '\n');
}

function quantiles(values: number[]): { p50: number; p95: number; max: number; mean: number } {
  const s = [...values].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  const round = (x: number) => Math.round(x * 100) / 100;
  return { p50: round(q(0.5)), p95: round(q(0.95)), max: round(s[s.length - 1]!), mean: round(s.reduce((a, b) => a + b, 0) / s.length) };
}

function scan(root: string): void {
  const cli = join(REPO_ROOT, 'server/out/cli.js');
  const rss = join(REPO_ROOT, 'bench/report-rss.cjs');
  const started = performance.now();
  const r = spawnSync(process.execPath, ['-r', rss, cli, 'check', root, '--format', 'json', '--stats'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const wall = performance.now() - started;
  const stats = JSON.parse(r.stderr.split('\n').find((l) => l.startsWith('{')) ?? '{}') as { filesDiscovered?: number; filesParsed?: number; ms?: number; findings?: number };
  const maxrss = Number(/@@maxrss (\d+)/.exec(r.stderr)?.[1] ?? 0);
  emit('scan', { workspace: root, filesDiscovered: stats.filesDiscovered, filesParsed: stats.filesParsed, findings: stats.findings, analysisMs: stats.ms, totalMs: Math.round(wall), peakRssMB: Math.round(maxrss / 1024) });
}

async function keystroke(root: string, settingsFile: string): Promise<void> {
  const client = await LspTestClient.start({ folders: [root], config: { debounceMs: 0 } });
  try {
    const uri = uriOf(settingsFile);
    const first = client.nextDiagnostics(uri);
    await client.open(settingsFile);
    await first;
    const lines = client.text(settingsFile).split('\n');
    const line = lines.length - 1;
    const timings: number[] = [];
    for (let i = 0; i < 500; i++) {
      // Type a character at the end of the file, then delete it: the module stays valid Python.
      const col = client.text(settingsFile).split('\n')[line]!.length;
      const change = i % 2 === 0
        ? { range: { start: { line, character: col }, end: { line, character: col } }, text: '#' }
        : { range: { start: { line, character: col - 1 }, end: { line, character: col } }, text: '' };
      const published = client.nextDiagnostics(uri);
      const t0 = performance.now();
      await client.change(settingsFile, [change]);
      await published;
      timings.push(performance.now() - t0);
    }
    emit('keystroke', { file: settingsFile, lines: lines.length, edits: timings.length, ...quantiles(timings) });
  } finally {
    await client.shutdown();
  }
}

async function crossFile(root: string, base: string, production: string): Promise<void> {
  const client = await LspTestClient.start({ folders: [root], config: { debounceMs: 0 } });
  try {
    const prodUri = uriOf(production);
    const first = client.nextDiagnostics(uriOf(base));
    await client.open(base);
    await first;
    const timings: number[] = [];
    for (let i = 0; i < 20; i++) {
      const text = client.text(base);
      const lines = text.split('\n');
      const end = { line: lines.length - 1, character: lines[lines.length - 1]!.length };
      const add = i % 2 === 0;
      const change = add
        ? { range: { start: end, end }, text: 'SECURE_HSTS_PRELOAD = True\n' }
        : { range: { start: { line: lines.length - 2, character: 0 }, end }, text: '' };
      const republished = client.nextDiagnostics(prodUri, (d) => d.some((x) => x.code === 'DJ-SEC-024') !== add);
      const t0 = performance.now();
      await client.change(base, [change]);
      await republished;
      timings.push(performance.now() - t0);
    }
    emit('cross-file', { edited: base, republished: production, edits: timings.length, ...quantiles(timings) });
  } finally {
    await client.shutdown();
  }
}

async function activation(): Promise<void> {
  const example = join(REPO_ROOT, 'example');
  const settings = join(example, 'shop/settings.py');
  const t0 = performance.now();
  const client = await LspTestClient.start({ folders: [example], config: { debounceMs: 0 } });
  try {
    await client.diagnosticsFor(uriOf(settings), (d) => d.length > 0);
    const ms = performance.now() - t0;
    const size = (p: string) => (existsSync(p) ? statSync(p).size : 0);
    emit('activation', {
      workspace: 'example',
      serverStartToFirstDiagnosticsMs: Math.round(ms),
      clientBundleKB: Math.round(size(join(REPO_ROOT, 'client/out/extension.js')) / 1024),
      serverBundleKB: Math.round(size(join(REPO_ROOT, 'server/out/server.js')) / 1024),
      note: 'measured from spawning the server to its first publishDiagnostics; VS Code adds its own extension-host start',
    });
  } finally {
    await client.shutdown();
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
  }
  try {
    scan(root);
    const base = join(root, 'config/settings/base.py');
    const production = join(root, 'config/settings/production.py');
    if (existsSync(base) && existsSync(production)) {
      await keystroke(root, base);
      await crossFile(root, base, production);
    } else {
      process.stderr.write('keystroke and cross-file benches need config/settings/{base,production}.py: skipped for this workspace\n');
    }
    await activation();
  } finally {
    if (generated) rmSync(generated, { recursive: true, force: true });
  }
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.stack : e}\n`);
  process.exit(1);
});

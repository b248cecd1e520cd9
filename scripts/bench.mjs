// npm run bench [-- --workspace DIR] [--edits N] [--only NAMES] [--json]: bundles bench/bench.ts and
// runs it (npm run bench builds the extension first). See bench/bench.ts for the benches.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, '.cache', 'bench', 'bench.cjs');
mkdirSync(dirname(out), { recursive: true });
await build({
  entryPoints: [join(root, 'bench/bench.ts')],
  outfile: out,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
  // The bench analyses in process too (to pick the files to edit): web-tree-sitter's ESM build reads
  // import.meta.url, which a CommonJS bundle lacks, so use its CommonJS build as scripts/build.mjs does.
  alias: { 'web-tree-sitter': join(root, 'node_modules/web-tree-sitter/web-tree-sitter.cjs') },
  define: { 'process.env.DJANGO_READINESS_ROOT': JSON.stringify(root) },
});
// The bench runs in the repository root; a relative --workspace means the folder npm was run from
// (npm itself changes to the package root and records the caller's folder in INIT_CWD).
const args = process.argv.slice(2);
const ws = args.indexOf('--workspace');
if (ws >= 0 && args[ws + 1]) args[ws + 1] = resolve(process.env.INIT_CWD ?? process.cwd(), args[ws + 1]);
const r = spawnSync(process.execPath, [out, ...args], { stdio: 'inherit', cwd: root });
process.exit(r.status ?? 1);

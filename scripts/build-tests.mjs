// Compiles every test/**/*.test.ts (and the helpers they import) into out-test/ with esbuild, one
// bundle per test file, so `node --test out-test/` runs them on Node 20 without a TS loader.
import { build } from 'esbuild';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const testDir = join(root, 'test');
// DJR_OUT_TEST lets parallel runs build into their own folder.
const outDir = process.env.DJR_OUT_TEST ?? join(root, 'out-test');

function find(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'fixtures' || name === 'vscode' || name === 'node_modules') continue;
    if (statSync(p).isDirectory()) out.push(...find(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

rmSync(outDir, { recursive: true, force: true });
const entries = find(testDir);
await build({
  entryPoints: Object.fromEntries(entries.map((e) => [relative(testDir, e).replace(/\.ts$/, ''), e])),
  outdir: outDir,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  logLevel: 'warning',
  external: ['vscode'],
  alias: { 'web-tree-sitter': join(root, 'node_modules/web-tree-sitter/web-tree-sitter.cjs') },
  // Tests locate fixtures and the built server from the repository root.
  define: { 'process.env.DJANGO_READINESS_ROOT': JSON.stringify(root) },
});

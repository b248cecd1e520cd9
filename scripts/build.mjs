// Bundles the extension client and the language server / CLI with esbuild, and copies the
// web-tree-sitter runtime wasm next to the server bundle (the grammars stay in grammars/).
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
// web-tree-sitter's ESM build reads import.meta.url, which a CommonJS bundle does not have: use its
// CommonJS build.
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  alias: { 'web-tree-sitter': join(root, 'node_modules/web-tree-sitter/web-tree-sitter.cjs') },
};

// The rule registry is generated from the rule files so it is never out of date.
await import('./gen-registry.mjs');

const jobs = [
  build({ ...common, entryPoints: [join(root, 'server/src/cli.ts')], outfile: join(root, 'server/out/cli.js'), banner: { js: '#!/usr/bin/env node' } }),
];
if (existsSync(join(root, 'server/src/server.ts'))) {
  jobs.push(build({ ...common, entryPoints: [join(root, 'server/src/server.ts')], outfile: join(root, 'server/out/server.js') }));
}
if (existsSync(join(root, 'client/src/extension.ts'))) {
  jobs.push(build({ ...common, entryPoints: [join(root, 'client/src/extension.ts')], outfile: join(root, 'client/out/extension.js'), external: ['vscode'] }));
}
await Promise.all(jobs);
mkdirSync(join(root, 'server/out'), { recursive: true });
copyFileSync(join(root, 'node_modules/web-tree-sitter/web-tree-sitter.wasm'), join(root, 'server/out/web-tree-sitter.wasm'));
if (watch) console.log('watch mode is not supported; rerun npm run build');

// Bundles the extension client and the language server / CLI with esbuild, and copies the
// web-tree-sitter runtime wasm next to the server bundle (the grammars stay in grammars/).
//
// The bundles are minified without renaming (whitespace and syntax only): that loads fastest in
// Node 20 (renaming identifiers made the client load slower, and keepNames slower still), and
// stack traces in logs keep their function names; the source maps stay external. The language
// server and the CLI are two files each: server/out/server-main.js (server.ts and everything it
// imports) and server/out/server.js, the entry point clients start, a small loader that compiles
// server-main.js with V8's code cache (server/src/lsp/loader.ts); likewise cli-main.js and cli.js.
// Each loader gets its bundle's hash to name the cache by.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');
// web-tree-sitter's ESM build reads import.meta.url, which a CommonJS bundle does not have: use its
// CommonJS build. Dynamic import() is compiled to require(): the server bundle runs through vm.Script,
// which has no dynamic-import callback, and a require() avoids starting Node's ESM loader.
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  minifyWhitespace: true,
  minifySyntax: true,
  supported: { 'dynamic-import': false },
  logLevel: 'warning',
  alias: { 'web-tree-sitter': join(root, 'node_modules/web-tree-sitter/web-tree-sitter.cjs') },
};

// The rule registry is generated from the rule files so it is never out of date.
await import('./gen-registry.mjs');

// Which build of the grammars and the runtime the bundles parse with: the parse cache
// (server/src/engine/parsing/parseCache.ts) keeps trees per build. Computed here so a start does
// not hash the wasm files (grammars.ts computes it when run unbundled).
const runtimeWasm = readFileSync(join(root, 'node_modules/web-tree-sitter/web-tree-sitter.wasm'));
const grammarBuilds = Object.fromEntries(
  ['python', 'requirements'].map((name) => [name, createHash('sha1').update(readFileSync(join(root, `grammars/tree-sitter-${name}.wasm`))).update(runtimeWasm).digest('hex')]),
);
const mainDefine = { 'process.env.DJR_GRAMMAR_BUILDS': JSON.stringify(JSON.stringify(grammarBuilds)) };

/** A program (`server`, `cli`): its bundle `<name>-main.js` and the loader `<name>.js` that runs it with the code cache. */
async function buildProgram(name, entry, loaderOptions = {}) {
  const mainOut = join(root, `server/out/${name}-main.js`);
  await build({ ...common, entryPoints: [join(root, entry)], outfile: mainOut, define: mainDefine });
  const hash = createHash('sha256').update(readFileSync(mainOut)).digest('hex');
  await build({
    ...common,
    ...loaderOptions,
    entryPoints: [join(root, 'server/src/lsp/loader.ts')],
    outfile: join(root, `server/out/${name}.js`),
    define: { 'process.env.DJR_BUNDLE_HASH': JSON.stringify(hash), 'process.env.DJR_PROGRAM': JSON.stringify(name) },
  });
}

const jobs = [
  buildProgram('cli', 'server/src/cli.ts', { banner: { js: '#!/usr/bin/env node' } }),
  // The parse worker a workspace scan starts (server/src/engine/parsing/parseAhead.ts).
  build({ ...common, entryPoints: [join(root, 'server/src/engine/parsing/parseWorker.ts')], outfile: join(root, 'server/out/parse-worker.js') }),
];
if (existsSync(join(root, 'server/src/server.ts'))) jobs.push(buildProgram('server', 'server/src/server.ts'));
if (existsSync(join(root, 'client/src/extension.ts'))) {
  jobs.push(build({ ...common, entryPoints: [join(root, 'client/src/extension.ts')], outfile: join(root, 'client/out/extension.js'), external: ['vscode'] }));
}
await Promise.all(jobs);
mkdirSync(join(root, 'server/out'), { recursive: true });
copyFileSync(join(root, 'node_modules/web-tree-sitter/web-tree-sitter.wasm'), join(root, 'server/out/web-tree-sitter.wasm'));
if (watch) console.log('watch mode is not supported; rerun npm run build');

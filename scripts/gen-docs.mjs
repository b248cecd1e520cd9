// Regenerates docs/rules/*.md and the README rule table from the rule registry.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(tmpdir(), `djr-render-${process.pid}.cjs`);
await build({
  entryPoints: [join(root, 'server/src/engine/rules/render.ts')],
  outfile: out,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  logLevel: 'warning',
  alias: { 'web-tree-sitter': join(root, 'node_modules/web-tree-sitter/web-tree-sitter.cjs') },
});
const render = createRequire(import.meta.url)(out);
rmSync(out);
const docsDir = join(root, 'docs/rules');
mkdirSync(docsDir, { recursive: true });
for (const f of readdirSync(docsDir)) if (f.endsWith('.md')) rmSync(join(docsDir, f));
for (const rule of render.allRules()) writeFileSync(join(docsDir, `${rule.id}.md`), render.ruleMarkdown(rule));
const readme = join(root, 'README.md');
writeFileSync(readme, render.readmeWithTable(readFileSync(readme, 'utf8')));
console.log(`wrote ${render.allRules().length} rule pages and the README table`);

// Refreshes grammars/*.wasm from the npm packages that ship them and records their provenance
// in grammars/GRAMMARS.json. Runs only when a maintainer upgrades a grammar: the wasm files are
// committed, so installs and CI never need these packages (tree-sitter-python's install script
// would try to build a native addon).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const GRAMMARS = [
  { name: 'python', npm: 'tree-sitter-python', version: '0.25.0', wasm: 'tree-sitter-python.wasm' },
  { name: 'requirements', npm: 'tree-sitter-requirements', version: '0.6.1', wasm: 'tree-sitter-requirements.wasm' },
];

const work = mkdtempSync(join(tmpdir(), 'grammars-'));
const record = [];
try {
  for (const g of GRAMMARS) {
    const spec = `${g.npm}@${g.version}`;
    const tgz = execFileSync('npm', ['pack', spec, '--silent'], { cwd: work, encoding: 'utf8' }).trim().split('\n').pop();
    execFileSync('tar', ['xzf', tgz], { cwd: work });
    const src = join(work, 'package', g.wasm);
    const dest = join(root, 'grammars', g.wasm);
    copyFileSync(src, dest);
    const pkg = JSON.parse(readFileSync(join(work, 'package', 'package.json'), 'utf8'));
    record.push({
      language: g.name,
      file: g.wasm,
      source: `npm:${spec}`,
      repository: typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url,
      license: pkg.license,
      sha256: createHash('sha256').update(readFileSync(dest)).digest('hex'),
    });
    rmSync(join(work, 'package'), { recursive: true, force: true });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
writeFileSync(join(root, 'grammars', 'GRAMMARS.json'), JSON.stringify(record, null, 2) + '\n');
console.log(`wrote ${record.length} grammars to grammars/`);

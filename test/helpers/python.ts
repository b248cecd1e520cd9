// Python's own parser as the judge of fixed files: a quick fix must leave code `ast.parse` accepts.
import { spawnSync } from 'node:child_process';

export function pythonParses(source: string): { ok: boolean; error: string } {
  const r = spawnSync('python3', ['-c', 'import ast,sys; ast.parse(sys.stdin.read())'], { input: source, encoding: 'utf8' });
  if (r.error) throw r.error;
  return { ok: r.status === 0, error: r.stderr };
}

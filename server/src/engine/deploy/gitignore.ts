// Is a workspace file ignored by git? Every .gitignore from the repository root down to the file's
// folder is consulted (deeper files win), plus .git/info/exclude, with git's own semantics.
import { dirname, join } from 'node:path';
import type { FileSystem } from '../workspace';
import { gitMatch, type IgnorePattern, parseGitignore } from './ignorefiles';
import { relativePosix } from '../workspace';

export interface GitIgnoreVerdict {
  ignored: boolean;
  /** The .gitignore and pattern that decided, when one did. */
  by?: { file: string; pattern: IgnorePattern };
}

export function gitIgnoreVerdict(fs: FileSystem, path: string, stopAt?: string): GitIgnoreVerdict {
  const dirs: string[] = [];
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    dirs.unshift(dir);
    if (fs.isDirectory(join(dir, '.git')) || dir === stopAt || dirname(dir) === dir) break;
  }
  let verdict: GitIgnoreVerdict = { ignored: false };
  const root = dirs[0]!;
  const exclude = fs.readFile(join(root, '.git', 'info', 'exclude'));
  const sources: { file: string; dir: string; text: string | undefined }[] = [{ file: join(root, '.git', 'info', 'exclude'), dir: root, text: exclude }, ...dirs.map((d) => ({ file: join(d, '.gitignore'), dir: d, text: fs.readFile(join(d, '.gitignore')) }))];
  for (const s of sources) {
    if (!s.text) continue;
    const hit = gitMatch(parseGitignore(s.text), relativePosix(s.dir, path));
    if (hit) verdict = { ignored: !hit.negated, by: { file: s.file, pattern: hit } };
  }
  return verdict;
}

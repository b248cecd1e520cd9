// The .gitignore the gitignore rules look at: the repository root's when the repository is the
// project (or inside it), else the project root's.
import { dirname, join, relative } from 'node:path';
import type { ProjectContext } from '../rules/types';
import { gitRoot } from './context';

export function projectGitignore(ctx: ProjectContext): { path: string; text: string | undefined; inherited: boolean } {
  const root = gitRoot(ctx, ctx.project.root);
  const base = root && !relative(ctx.project.root, root).startsWith('..') ? root : ctx.project.root;
  const own = join(base, '.gitignore');
  const text = ctx.fs.readFile(own);
  if (text !== undefined) return { path: own, text, inherited: false };
  // A .gitignore further up (the project sits inside a larger repository) still applies.
  for (let dir = dirname(ctx.project.root); root && !relative(root, dir).startsWith('..'); dir = dirname(dir)) {
    if (ctx.fs.isFile(join(dir, '.gitignore'))) return { path: join(dir, '.gitignore'), text: ctx.fs.readFile(join(dir, '.gitignore')), inherited: true };
    if (dir === root || dirname(dir) === dir) break;
  }
  return { path: own, text: undefined, inherited: false };
}

export const DJANGO_GITIGNORE = ['__pycache__/', '*.py[cod]', '.env', '.env.*', '!.env.example', 'db.sqlite3', 'media/', 'staticfiles/', '.venv/', 'venv/', '.coverage', '.pytest_cache/'];

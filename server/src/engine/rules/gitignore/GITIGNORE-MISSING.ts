import { baseName } from '../../workspace';
import { gitRoot, models } from '../../deploy/context';
import { DJANGO_GITIGNORE, projectGitignore } from '../../deploy/gitkit';
import type { ProjectRule } from '../types';

export const rule: ProjectRule = {
  id: 'GITIGNORE-MISSING',
  name: 'gitignore-missing',
  family: 'project',
  summary: 'A git repository (or a project with .env or db.sqlite3) has no .gitignore',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `Without a .gitignore, \`git add .\` commits \`.env\` with its secrets, the local \`db.sqlite3\` (with
user data), uploaded \`media/\`, virtualenvs and bytecode. Reported inside a git repository, or
when a \`.env\` or \`db.sqlite3\` exists. The fix creates one with the usual Django entries.

Before:
\`\`\`
(no .gitignore)
\`\`\`
After (.gitignore):
\`\`\`
__pycache__/
*.py[cod]
.env
.env.*
!.env.example
db.sqlite3
media/
staticfiles/
.venv/
\`\`\``,
  check(ctx) {
    const g = projectGitignore(ctx);
    if (g.text !== undefined) return;
    // Only where git will be used: a repository, or files that must never be committed.
    const risky = models(ctx).envFiles.some((e) => !e.example) || ctx.files.some((f) => f.endsWith('db.sqlite3') && baseName(f) === 'db.sqlite3');
    if (!gitRoot(ctx, ctx.project.root) && !risky) return;
    const anchor = ctx.project.managePy ?? ctx.project.production?.path ?? models(ctx).deps.productionTarget().file;
    if (!ctx.fs.isFile(anchor)) return;
    ctx.report({
      file: anchor,
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      message: 'The project has no .gitignore: "git add ." would commit .env, db.sqlite3 and media/',
      fixes: () => [{ title: 'Create a .gitignore for a Django project', edits: [{ file: g.path, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: DJANGO_GITIGNORE.join('\n') + '\n' }], safe: false }],
    });
  },
};

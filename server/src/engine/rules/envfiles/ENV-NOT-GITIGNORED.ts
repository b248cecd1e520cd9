import { basename, join, relative } from 'node:path';
import { appendEdit, gitRoot, models } from '../../deploy/context';
import { gitIgnoreVerdict } from '../../deploy/gitignore';
import type { ProjectRule } from '../types';
import { relativePosix } from '../../workspace';

export const rule: ProjectRule = {
  id: 'ENV-NOT-GITIGNORED',
  name: 'env-not-gitignored',
  family: 'project',
  summary: 'An env file with real settings is not ignored by git',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `\`.env\` files hold the secret key and database passwords. When no .gitignore pattern covers them,
one \`git add .\` commits them, and a secret in git history has to be rotated. Every .gitignore from
the repository root down is read with git's semantics (\`.env*\` also matches \`.env.example\`, which
GITIGNORE-EXAMPLE-IGNORED reports). Example files (\`.env.example\`, \`.env.sample\`...) are meant to be
committed and are not reported.

Before (.gitignore):
\`\`\`
__pycache__/
\`\`\`
After:
\`\`\`
__pycache__/
.env
.env.*
!.env.example
\`\`\``,
  check(ctx) {
    const root = gitRoot(ctx, ctx.project.root) ?? ctx.project.root;
    const target = join(relative(root, ctx.project.root).startsWith('..') ? ctx.project.root : root, '.gitignore');
    const text = ctx.fs.readFile(target);
    for (const env of models(ctx).envFiles) {
      if (env.example) continue;
      if (gitIgnoreVerdict(ctx.fs, env.path, root).ignored) continue;
      const rel = relativePosix(root, env.path);
      const lines = ['.env', '.env.*', '!.env.example'];
      if (!/^\.env(\..+)?$/.test(basename(env.path))) lines.unshift(rel);
      const missing = lines.filter((l) => !(text ?? '').split(/\r?\n/).includes(l));
      ctx.report({
        file: env.path,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: (ctx.fs.readFile(env.path) ?? '').split(/\r?\n/)[0]!.length } },
        message: `${rel} is not ignored by git: one "git add ." commits its secrets`,
        fixes: () => missing.length ? [{ title: `Ignore env files in ${relative(ctx.project.root, target) || '.gitignore'}`, edits: [appendEdit(target, text, missing)], safe: text !== undefined }] : [],
      });
    }
  },
};

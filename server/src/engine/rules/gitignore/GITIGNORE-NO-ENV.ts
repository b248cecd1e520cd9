import { join } from 'node:path';
import { appendEdit, gitRoot } from '../../deploy/context';
import { gitIgnoreVerdict } from '../../deploy/gitignore';
import { projectGitignore } from '../../deploy/gitkit';
import type { ProjectRule } from '../types';

export const rule: ProjectRule = {
  id: 'GITIGNORE-NO-ENV',
  name: 'gitignore-no-env',
  family: 'project',
  summary: '.gitignore does not ignore .env',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `The .gitignore exists but a \`.env\` at the project root would not be ignored, so the first
developer who creates one and runs \`git add .\` commits its secrets. Reported even before any \`.env\`
exists (once one exists and is not ignored, ENV-NOT-GITIGNORED reports it instead).

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
    const g = projectGitignore(ctx);
    if (g.text === undefined || g.inherited) return;
    const envPath = join(ctx.project.root, '.env');
    if (ctx.fs.isFile(envPath)) return;
    if (gitIgnoreVerdict(ctx.fs, envPath, gitRoot(ctx, ctx.project.root) ?? ctx.project.root).ignored) return;
    const missing = ['.env', '.env.*', '!.env.example'].filter((l) => !g.text!.split(/\r?\n/).includes(l));
    ctx.report({
      file: g.path,
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: (g.text.split(/\r?\n/)[0] ?? '').length } },
      message: '.gitignore does not ignore .env: the first "git add ." after creating one commits its secrets',
      fixes: () => [{ title: 'Ignore .env files', edits: [appendEdit(g.path, g.text, missing)], safe: true }],
    });
  },
};

import { join } from 'node:path';
import { appendEdit, gitRoot, models } from '../../deploy/context';
import { gitIgnoreVerdict } from '../../deploy/gitignore';
import type { ProjectRule } from '../types';

export const rule: ProjectRule = {
  id: 'GITIGNORE-EXAMPLE-IGNORED',
  name: 'gitignore-example-ignored',
  family: 'project',
  summary: 'A .gitignore pattern such as .env* also ignores .env.example',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `\`.env*\` or \`*.env*\` ignores \`.env.example\` too, so the documented list of variables never gets
committed and the next deployer has to guess. A negation after the pattern fixes it.

Before (.gitignore):
\`\`\`
.env*
\`\`\`
After:
\`\`\`
.env*
!.env.example
\`\`\``,
  check(ctx) {
    const root = gitRoot(ctx, ctx.project.root) ?? ctx.project.root;
    const examples = models(ctx).envFiles.filter((e) => e.example).map((e) => e.path);
    const paths = examples.length ? examples : [join(ctx.project.root, '.env.example')];
    for (const path of paths) {
      const v = gitIgnoreVerdict(ctx.fs, path, root);
      if (!v.ignored || !v.by || v.by.file.includes('/.git/')) continue;
      if (!v.by.file.startsWith(ctx.project.root)) continue;
      const text = ctx.fs.readFile(v.by.file) ?? '';
      const name = path.slice(v.by.file.length - '.gitignore'.length).split('\\').join('/');
      ctx.report({
        file: v.by.file,
        range: { start: { line: v.by.pattern.line, character: 0 }, end: { line: v.by.pattern.line, character: v.by.pattern.text.length } },
        message: `"${v.by.pattern.text}" also ignores ${name}: the example env file never gets committed`,
        fixes: [{ title: `Add !${name}`, edits: [appendEdit(v.by.file, text, [`!${name}`])], safe: true }],
      });
    }
  },
};

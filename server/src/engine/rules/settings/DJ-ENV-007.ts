import { locOf, nodesOfType } from '../environment/scan';
import type { SettingsRule } from '../types';

const LOADERS = /(^|\.)(read_env|load_dotenv|read_dotenv)$/;

export const rule: SettingsRule = {
  id: 'DJ-ENV-007',
  name: 'dotenv-in-production',
  family: 'settings',
  summary: 'Production settings load a .env file unconditionally',
  defaultSeverity: 'hint',
  djangoChecks: [],
  docs: `\`environ.Env.read_env()\` or \`load_dotenv()\` in production settings means a stray \`.env\` file in the
image or the working directory silently overrides the real environment (a developer's DEBUG=True
included). Gate it behind a variable, as cookiecutter-django does, and keep an \`.env.example\` listing the
variables without values.

Before:
\`\`\`python
environ.Env.read_env(BASE_DIR / ".env")
\`\`\`
After:
\`\`\`python
if env.bool("DJANGO_READ_DOT_ENV_FILE", default=False):
    environ.Env.read_env(BASE_DIR / ".env")
\`\`\``,
  check(ctx) {
    const fs = ctx.edit.fileSystem;
    for (const { file, node } of nodesOfType(ctx, ['call'], /\b(read_env|load_dotenv|read_dotenv)\b/)) {
      if (!LOADERS.test(node.childForFieldName('function')?.text ?? '')) continue;
      // Only top-level statements are unconditional.
      const stmt = node.parent;
      if (stmt?.type !== 'expression_statement' || stmt.parent?.type !== 'module') continue;
      const root = ctx.profile.project.root;
      const example = ['.env.example', '.env.sample', '.env.template', 'env.example'].some((n) => fs.isFile(`${root}/${n}`));
      ctx.report({
        at: locOf(file, node),
        message: `The settings always load a .env file: one left in the image overrides the real environment; gate it behind a variable${example ? '' : ', and add an .env.example listing the variables'}`,
      });
    }
  },
};

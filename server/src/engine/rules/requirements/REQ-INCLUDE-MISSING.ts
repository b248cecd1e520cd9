import { basename } from 'node:path';
import { models } from '../../deploy/context';
import type { ProjectRule } from '../types';

export const rule: ProjectRule = {
  id: 'REQ-INCLUDE-MISSING',
  name: 'include-missing',
  family: 'project',
  summary: 'A -r or -c include names a file that does not exist',
  defaultSeverity: 'error',
  djangoChecks: [],
  docs: `pip resolves \`-r\`/\`-c\` paths relative to the directory of the file that contains them (not the
directory pip runs in). A missing target makes \`pip install\` fail with "Could not open requirements
file". Remote (URL) includes are not fetched and not reported.

Before (requirements/production.txt):
\`\`\`
-r requirements/base.txt
\`\`\`
After:
\`\`\`
-r base.txt
\`\`\``,
  check(ctx) {
    for (const f of models(ctx).deps.files.values()) {
      for (const inc of f.includes) {
        if (inc.file || inc.url) continue;
        ctx.report({ file: f.path, range: inc.include.range, message: `${inc.include.target} does not exist (pip resolves it relative to ${basename(f.path)}'s folder): pip install fails` });
      }
    }
  },
};

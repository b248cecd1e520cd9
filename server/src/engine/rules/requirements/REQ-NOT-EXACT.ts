import { basename } from 'node:path';
import { models } from '../../deploy/context';
import { setConstraintEdit, suggestVersion } from '../../requirements/rulekit';
import type { ProjectRule } from '../types';

export const rule: ProjectRule = {
  id: 'REQ-NOT-EXACT',
  name: 'range-pinned-requirement',
  family: 'project',
  summary: 'A production requirement is constrained by a range, not an exact version',
  defaultSeverity: 'information',
  djangoChecks: [],
  docs: `\`psycopg2-binary>=2.9\` admits every later release, so two builds of the same commit can install
different code. In a production requirements file pin with \`==\` (or compile ranges from a \`.in\`
file with pip-compile / uv). Django itself is also checked by REQ-DJANGO-UNBOUNDED.

Before:
\`\`\`
psycopg2-binary>=2.9
\`\`\`
After:
\`\`\`
psycopg2-binary==2.9.10
\`\`\``,
  check(ctx) {
    const { deps } = models(ctx);
    for (const d of deps.deps) {
      const f = deps.files.get(d.file);
      if (!f || f.role !== 'production' || f.input || d.origin !== 'requirements') continue;
      if (d.url || d.path || d.opaqueVersion || !d.specs || d.specs.length === 0 || d.pinned) continue;
      if (deps.constraintDeps(d.file).some((c) => c.key === d.key && c.pinned)) continue;
      const v = suggestVersion(deps, d.key, d);
      const edit = v ? setConstraintEdit(ctx.fs, d, `==${v.version}`) : undefined;
      ctx.report({
        file: d.file,
        range: d.range,
        message: `${d.name}${d.specText} in ${basename(d.file)} is a range: builds install whichever matching version is newest`,
        fixes: () => edit ? [{ title: `Pin ${d.name}==${v!.version}`, edits: [edit], safe: false }] : [],
      });
    }
  },
};

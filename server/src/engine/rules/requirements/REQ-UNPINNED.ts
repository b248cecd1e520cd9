import { basename } from 'node:path';
import { models } from '../../deploy/context';
import { setConstraintEdit, suggestVersion } from '../../requirements/rulekit';
import type { ProjectRule } from '../types';

export const rule: ProjectRule = {
  id: 'REQ-UNPINNED',
  name: 'unpinned-requirement',
  family: 'project',
  summary: 'A production requirement has no version at all',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `Without a version, every image build installs whatever is newest on PyPI that day: a rebuild can
pull a new major release of Django or gunicorn with breaking changes, and no two builds are
guaranteed to be the same. Production requirements files (requirements.txt, requirements/base.txt,
\`*prod*\` files, and whatever the Dockerfile installs) should pin exact versions; ranges belong in
pyproject.toml or a pip-compile \`.in\` file, with the compiled file pinning. A package pinned by a
\`-c\` constraints file is not reported.

Before:
\`\`\`
gunicorn
\`\`\`
After:
\`\`\`
gunicorn==23.0.0
\`\`\``,
  check(ctx) {
    const { deps } = models(ctx);
    for (const d of deps.deps) {
      const f = deps.files.get(d.file);
      if (!f || f.role !== 'production' || f.input || d.origin !== 'requirements') continue;
      if (d.url || d.path || d.opaqueVersion || !d.specs || d.specs.length > 0) continue;
      if (deps.constraintDeps(d.file).some((c) => c.key === d.key && (c.pinned || (c.specs?.length ?? 0) > 0))) continue;
      const v = suggestVersion(deps, d.key);
      const edit = v ? setConstraintEdit(ctx.fs, d, `==${v.version}`) : undefined;
      ctx.report({
        file: d.file,
        range: d.range,
        message: `${d.name} is not pinned in ${basename(d.file)}: each build installs whatever version is newest${v ? ` (for example ${d.name}==${v.version})` : ''}`,
        fixes: () => edit ? [{ title: `Pin ${d.name}==${v!.version}`, edits: [edit], safe: v!.source === 'project' }] : [],
      });
    }
  },
};

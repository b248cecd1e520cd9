import { basename } from 'node:path';
import { models } from '../../deploy/context';
import type { Dependency } from '../../requirements/model';
import type { ProjectRule } from '../types';

export const rule: ProjectRule = {
  id: 'REQ-PARTIAL-HASHES',
  name: 'partial-hashes',
  family: 'project',
  summary: 'Some requirements carry --hash but others do not: pip refuses the install',
  defaultSeverity: 'error',
  djangoChecks: [],
  docs: `One \`--hash\` (or a \`--require-hashes\` line) switches pip into hash-checking mode for the whole
install: every requirement — including those in files included with \`-r\` and every transitive
dependency — must then be pinned and hashed, or pip stops with "Hashes are required in
--require-hashes mode". Regenerate the whole file with hashes instead of adding them by hand.

Before:
\`\`\`
Django==5.2.9 --hash=sha256:...
gunicorn==23.0.0
\`\`\`
After:
\`\`\`
# pip-compile --generate-hashes (or uv pip compile --generate-hashes)
Django==5.2.9 --hash=sha256:...
gunicorn==23.0.0 --hash=sha256:...
\`\`\``,
  check(ctx) {
    const { deps } = models(ctx);
    const reported = new Set<Dependency>();
    for (const file of deps.files.values()) {
      if (file.role === 'constraints') continue;
      const closure = deps.closure(file.path);
      const set = deps.installSet(file.path);
      const hashed = set.find((d) => (d.req?.hashes.length ?? 0) > 0);
      const requireLine = closure.map((p) => deps.files.get(p)?.parsed.options.find((o) => o.name === '--require-hashes')).find(Boolean);
      if (!hashed && !requireLine) continue;
      for (const d of set) {
        if (reported.has(d) || (d.req?.hashes.length ?? 0) > 0 || d.req?.editable) continue;
        reported.add(d);
        const why = hashed ? `${hashed.name} in ${basename(hashed.file)} has --hash` : '--require-hashes is set';
        ctx.report({ file: d.file, range: d.range, message: `${d.name} has no --hash but ${why}: pip's hash-checking mode rejects the whole install` });
      }
    }
  },
};

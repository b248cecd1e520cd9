import { models } from '../../deploy/context';
import type { ProjectRule } from '../types';

export const rule: ProjectRule = {
  id: 'REQ-HASH-NOT-PINNED',
  name: 'hash-without-pin',
  family: 'project',
  summary: 'A requirement with --hash is not pinned with ==',
  defaultSeverity: 'error',
  djangoChecks: [],
  docs: `In hash-checking mode pip requires every requirement to name one exact version (\`==\`, or a URL
or path to one file); a range with hashes fails with "versions pinned with ==". Hashes identify
files of one release, so the version must be exact anyway.

Before:
\`\`\`
Django>=5.2 --hash=sha256:...
\`\`\`
After:
\`\`\`
Django==5.2.9 --hash=sha256:...
\`\`\``,
  check(ctx) {
    for (const d of models(ctx).deps.deps) {
      if (!d.req || d.req.hashes.length === 0 || d.pinned || d.url || d.path || d.opaqueVersion) continue;
      ctx.report({ file: d.file, range: d.range, message: `${d.name}${d.specText} has --hash but no exact == version: pip's hash-checking mode refuses it` });
    }
  },
};

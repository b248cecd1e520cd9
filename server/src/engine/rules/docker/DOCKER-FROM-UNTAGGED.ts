import { basename } from 'node:path';
import { models, reportDocker } from '../../deploy/context';
import type { ProjectRule } from '../types';

export const rule: ProjectRule = {
  id: 'DOCKER-FROM-UNTAGGED',
  name: 'docker-from-untagged',
  family: 'project',
  summary: 'A FROM names an image without a tag or digest',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `An untagged image means \`:latest\`, with the same drift on every rebuild. Earlier build stages
(\`FROM builder\`), \`scratch\` and ARG-based images without a default are not reported; ARG defaults
are substituted before judging (avoiding hadolint's DL3006 false positives on \`FROM \${BASE}\`).
Mirrors hadolint DL3006 (\`# hadolint ignore=DL3006\` is honoured).

Before:
\`\`\`dockerfile
FROM python
\`\`\`
After:
\`\`\`dockerfile
FROM python:3.12-slim-bookworm
\`\`\``,
  check(ctx) {
    for (const d of models(ctx).dockerfiles) {
      for (const s of d.stages) {
        if (!s.image || s.parent || s.image === 'scratch' || /@sha256:/.test(s.image)) continue;
        const last = s.image.split('/').pop()!;
        if (last.includes(':')) continue;
        const python = s.image === 'python' && !(s.from.getImage() ?? '').includes('$');
        const nameRange = s.from.getImageNameRange();
        reportDocker(ctx, d, 'DL3006', {
          file: d.path,
          range: s.from.getRange(),
          message: `${basename(d.path)} builds FROM ${s.image} with no tag, which means :latest`,
          fixes: () => python && nameRange ? [{ title: 'Use python:3.12-slim-bookworm', edits: [{ file: d.path, range: { start: nameRange.end, end: nameRange.end }, newText: ':3.12-slim-bookworm' }], safe: false }] : [],
        });
      }
    }
  },
};

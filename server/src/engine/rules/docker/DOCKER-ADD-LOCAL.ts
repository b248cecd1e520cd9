import { basename } from 'node:path';
import { models, reportDocker } from '../../deploy/context';
import { jsonArgs } from '../../deploy/dockerfile';
import type { ProjectRule } from '../types';

export const rule: ProjectRule = {
  id: 'DOCKER-ADD-LOCAL',
  name: 'docker-add-local',
  family: 'project',
  summary: 'ADD copies local files that COPY would copy without surprises',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `ADD also extracts local tar archives and fetches URLs; for plain files it does the same as COPY,
with surprises when a file happens to look like an archive. Use COPY unless you need extraction or a
remote source. Mirrors hadolint DL3020 (\`# hadolint ignore=DL3020\` is honoured).

Before:
\`\`\`dockerfile
ADD . /app
\`\`\`
After:
\`\`\`dockerfile
COPY . /app
\`\`\``,
  check(ctx) {
    for (const d of models(ctx).dockerfiles) {
      for (const s of d.stages) {
        for (const instr of s.instructions) {
          if (instr.getKeyword() !== 'ADD') continue;
          const args = jsonArgs(instr) ?? instr.getArguments().map((a) => a.getValue());
          const sources = args.slice(0, -1);
          if (sources.length === 0 || sources.some((src) => /^[a-z][a-z0-9+.-]*:\/\/|^git@|\.(tar|tgz|tar\.gz|tar\.bz2|tbz2?|tar\.xz|txz|gz|bz2|xz|zst)$/i.test(src))) continue;
          reportDocker(ctx, d, 'DL3020', {
            file: d.path,
            range: instr.getRange(),
            message: `ADD of local files in ${basename(d.path)}: use COPY, which never extracts or downloads`,
            fixes: () => [{ title: 'Use COPY', edits: [{ file: d.path, range: instr.getInstructionRange(), newText: 'COPY' }], safe: true }],
          });
        }
      }
    }
  },
};

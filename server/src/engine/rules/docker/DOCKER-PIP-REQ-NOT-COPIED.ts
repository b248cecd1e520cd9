import { basename } from 'node:path';
import { prodDockerfiles } from '../../deploy/context';
import { insertLines } from '../../deploy/dockerkit';
import type { ProjectRule } from '../types';
import { relativePosix } from '../../workspace';

export const rule: ProjectRule = {
  id: 'DOCKER-PIP-REQ-NOT-COPIED',
  name: 'docker-requirements-not-copied',
  family: 'project',
  summary: 'pip install -r names a file no earlier COPY brought into the stage',
  defaultSeverity: 'error',
  djangoChecks: [],
  docs: `\`RUN pip install -r requirements.txt\` runs inside the image, where only what COPY/ADD (or a
\`--mount=type=bind\`) put there exists: without a COPY of the file before it the build fails with
"Could not open requirements file". Paths resolve against the stage's WORKDIR. Copying the
requirements alone before the install (and the code after it) also keeps the dependency layer cached
across code changes.

Before:
\`\`\`dockerfile
WORKDIR /app
RUN pip install -r requirements.txt
COPY . .
\`\`\`
After:
\`\`\`dockerfile
WORKDIR /app
COPY requirements.txt requirements.txt
RUN pip install -r requirements.txt
COPY . .
\`\`\``,
  check(ctx) {
    for (const d of prodDockerfiles(ctx)) {
      for (const p of d.pipInstalls) {
        for (const r of p.requirementFiles) {
          if (r.arg.includes('$') || d.covered(p.stage, p.instr, r.arg)) continue;
          const source = r.file ? relativePosix(d.context, r.file) : r.arg.replace(/^\/.*\//, '');
          ctx.report({
            file: d.path,
            range: p.instr.getRange(),
            message: `${r.arg} is installed before any COPY brings it into the image (${basename(d.path)}): the build fails with "Could not open requirements file"`,
            fixes: () => [{ title: `COPY ${source} before the install`, edits: [insertLines(d, p.instr.getRange().start.line, `COPY ${source} ${r.arg}`)], safe: true }],
          });
        }
      }
    }
  },
};

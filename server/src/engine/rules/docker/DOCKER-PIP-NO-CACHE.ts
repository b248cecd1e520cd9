import { basename } from 'node:path';
import { models, reportDocker } from '../../deploy/context';
import { flags } from '../../deploy/dockerfile';
import { TRUTHY } from '../../deploy/envfile';
import type { ProjectRule } from '../types';

export const rule: ProjectRule = {
  id: 'DOCKER-PIP-NO-CACHE',
  name: 'docker-pip-cache',
  family: 'project',
  summary: 'pip install keeps its download cache in the image layer',
  defaultSeverity: 'information',
  djangoChecks: [],
  docs: `pip caches every wheel it downloads under \`~/.cache/pip\`; in a RUN that cache becomes part of the
layer, tens to hundreds of MB for a Django project. Not reported with \`ENV PIP_NO_CACHE_DIR=1\`, a
\`RUN --mount=type=cache\` or \`tmpfs\` on the pip cache, or for uv/pipenv. Mirrors hadolint DL3042
(\`# hadolint ignore=DL3042\` is honoured).

Before:
\`\`\`dockerfile
RUN pip install -r requirements.txt
\`\`\`
After:
\`\`\`dockerfile
RUN pip install --no-cache-dir -r requirements.txt
\`\`\``,
  check(ctx) {
    for (const d of models(ctx).dockerfiles) {
      for (const p of d.pipInstalls) {
        if (p.flags.includes('--no-cache-dir') || /^uv$/.test(basename(p.command.argv[0] ?? ''))) continue;
        if (TRUTHY.test(d.envOf(p.stage).get('PIP_NO_CACHE_DIR')?.value ?? '')) continue;
        if (p.command.assignments.some((a) => /^PIP_NO_CACHE_DIR=/.test(a))) continue;
        if (flags(p.instr).some((f) => f.getName() === 'mount' && /type=(cache|tmpfs)/.test(f.getValue() ?? '') && /(\.cache\/pip|PIP_CACHE_DIR|\/root\/\.cache)/.test(f.getValue() ?? ''))) continue;
        const at = d.findInInstruction(p.instr, /\binstall\b/);
        reportDocker(ctx, d, 'DL3042', {
          file: d.path,
          range: p.instr.getRange(),
          message: `pip install without --no-cache-dir in ${basename(d.path)}: the download cache stays in the image layer`,
          fixes: () => at ? [{ title: 'Add --no-cache-dir', edits: [{ file: d.path, range: { start: at.end, end: at.end }, newText: ' --no-cache-dir' }], safe: true }] : [],
        });
      }
    }
  },
};

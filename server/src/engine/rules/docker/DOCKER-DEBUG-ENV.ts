import { basename } from 'node:path';
import { prodDockerfiles } from '../../deploy/context';
import { TRUTHY } from '../../deploy/envfile';
import type { ProjectRule } from '../types';

interface Prop {
  getName(): string;
  getValue(): string | null;
  getValueRange(): import('../../types').Range | null;
  getRange(): import('../../types').Range;
}

export const rule: ProjectRule = {
  id: 'DOCKER-DEBUG-ENV',
  name: 'docker-debug-env',
  family: 'project',
  summary: 'The production image sets DEBUG (or DJANGO_DEBUG) to a true value',
  defaultSeverity: 'error',
  djangoChecks: [],
  docs: `An \`ENV DEBUG=True\` in the final stage is baked into the image: every container started from it
runs with Django's debug pages (settings, source, SQL) unless the deployment remembers to override
it. Django's own \`check --deploy\` (security.W018) only sees the environment it runs in. Build
stages that do not reach the final image are not checked.

Before:
\`\`\`dockerfile
ENV DJANGO_DEBUG=True
\`\`\`
After:
\`\`\`dockerfile
ENV DJANGO_DEBUG=False
\`\`\``,
  check(ctx) {
    for (const d of prodDockerfiles(ctx)) {
      const final = d.final;
      if (!final) continue;
      for (const instr of d.inherited(final)) {
        if (instr.getKeyword() !== 'ENV') continue;
        for (const p of (instr as unknown as { getProperties(): Prop[] }).getProperties()) {
          if (!/^(DJANGO_)?DEBUG$/i.test(p.getName()) || !TRUTHY.test((p.getValue() ?? '').replace(/^["']|["']$/g, ''))) continue;
          const vr = p.getValueRange();
          ctx.report({
            file: d.path,
            range: p.getRange(),
            message: `${basename(d.path)} bakes ${p.getName()}=${p.getValue()} into the image: every container shows Django's debug pages`,
            fixes: () => vr ? [{ title: `Set ${p.getName()}=False`, edits: [{ file: d.path, range: vr, newText: 'False' }], safe: true }] : [],
          });
        }
      }
    }
  },
};

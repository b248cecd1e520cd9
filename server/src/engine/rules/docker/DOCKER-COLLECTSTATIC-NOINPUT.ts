import { basename } from 'node:path';
import { prodDockerfiles } from '../../deploy/context';
import type { ProjectRule } from '../types';

export const rule: ProjectRule = {
  id: 'DOCKER-COLLECTSTATIC-NOINPUT',
  name: 'collectstatic-noinput',
  family: 'project',
  summary: 'collectstatic runs without --noinput in a build or container command',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `\`collectstatic\` asks for confirmation when the destination already holds files or the storage is
remote (S3). A Docker build or container start has no terminal, so the prompt fails with EOFError
and the build or the container stops.

Before:
\`\`\`dockerfile
RUN python manage.py collectstatic
\`\`\`
After:
\`\`\`dockerfile
RUN python manage.py collectstatic --noinput
\`\`\``,
  check(ctx) {
    for (const d of prodDockerfiles(ctx)) {
      for (const stage of d.stages) {
        for (const instr of stage.instructions) {
          const kw = instr.getKeyword();
          if (kw !== 'RUN' && kw !== 'CMD' && kw !== 'ENTRYPOINT') continue;
          for (const { line, text } of d.instructionLines(instr)) {
            const m = /(["']?)collectstatic\1/.exec(text);
            if (!m || /--no-?input/.test(text.slice(m.index))) continue;
            const end = m.index + m[0].length;
            const insert = m[1] ? `, ${m[1]}--noinput${m[1]}` : ' --noinput';
            ctx.report({
              file: d.path,
              range: { start: { line, character: m.index }, end: { line, character: end } },
              message: `collectstatic in ${basename(d.path)} has no --noinput: without a terminal its confirmation prompt fails the ${kw === 'RUN' ? 'build' : 'container start'}`,
              fixes: () => [{ title: 'Add --noinput', edits: [{ file: d.path, range: { start: { line, character: end }, end: { line, character: end } }, newText: insert }], safe: true }],
            });
          }
        }
      }
    }
  },
};

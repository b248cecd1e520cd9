import { basename } from 'node:path';
import { prodDockerfiles } from '../../deploy/context';
import { createUserRun, createsUser, endOfFinalStage, firstStartInstruction, insertLines, isAlpine, nonRootBase } from '../../deploy/dockerkit';
import type { ProjectRule } from '../types';

export const rule: ProjectRule = {
  id: 'DOCKER-USER-MISSING',
  name: 'docker-no-user',
  family: 'project',
  summary: 'The final stage never switches to a non-root user',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `Without a \`USER\` instruction the container runs as root, so any code execution bug in the app
(a debug page, unsafe deserialisation, an upload handler) runs as root in the container, one kernel
bug away from the host. Only the final stage matters: build stages may stay root. Base images that
already run as non-root (distroless \`:nonroot\`, Chainguard) are recognised. hadolint's DL3002 does
not report a missing USER; this rule does.

Before:
\`\`\`dockerfile
COPY . .
CMD ["gunicorn", "shop.wsgi:application"]
\`\`\`
After:
\`\`\`dockerfile
COPY . .
RUN groupadd --system --gid 10001 app && useradd --system --uid 10001 --gid app --no-log-init --create-home app
USER app
CMD ["gunicorn", "shop.wsgi:application"]
\`\`\``,
  check(ctx) {
    for (const d of prodDockerfiles(ctx)) {
      const final = d.final;
      if (!final) continue;
      const all = d.inherited(final);
      if (all.some((i) => i.getKeyword() === 'USER')) continue;
      if (d.lineage(final).some((s) => nonRootBase(s.image))) continue;
      const at = firstStartInstruction(d) ?? endOfFinalStage(d);
      const lines = createsUser(d, final) ? 'USER app' : `${createUserRun(isAlpine(d, final))}\nUSER app`;
      ctx.report({
        file: d.path,
        range: final.from.getRange(),
        message: `The final stage of ${basename(d.path)} has no USER: the app runs as root inside the container`,
        fixes: () => [{ title: 'Create an unprivileged "app" user and switch to it', edits: [insertLines(d, at, lines)], safe: false }],
      });
    }
  },
};

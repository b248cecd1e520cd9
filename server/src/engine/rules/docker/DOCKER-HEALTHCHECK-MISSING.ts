import { basename, join } from 'node:path';
import { healthRoute, models, prodDockerfiles, reportDocker } from '../../deploy/context';
import { endOfFinalStage, firstStartInstruction, healthcheckInstruction, insertLines, portOf } from '../../deploy/dockerkit';
import type { ProjectRule } from '../types';

export const rule: ProjectRule = {
  id: 'DOCKER-HEALTHCHECK-MISSING',
  name: 'docker-healthcheck-missing',
  family: 'project',
  summary: 'The production image has no HEALTHCHECK and its compose service none either',
  defaultSeverity: 'information',
  djangoChecks: [],
  docs: `Without a health signal, \`depends_on: condition: service_healthy\`, rolling updates and restart
policies only know the process is running, not that Django answers. The fix requests the project's
health route (a \`healthz\`/\`health\`/\`ht\`/\`ping\` URL pattern when one exists, else \`/healthz/\`, which
you then need to add) with Python's urllib — slim images have no curl. The health request comes from
127.0.0.1: include it in \`ALLOWED_HOSTS\` (or Django answers 400) and exempt the path from
\`SECURE_SSL_REDIRECT\` with \`SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]\`. Not reported when a compose
service built from the Dockerfile has a \`healthcheck:\` or the repository has Kubernetes manifests
(Kubernetes ignores HEALTHCHECK). Mirrors hadolint DL3057.

Before:
\`\`\`dockerfile
CMD ["gunicorn", "shop.wsgi:application", "--bind", "0.0.0.0:8000"]
\`\`\`
After:
\`\`\`dockerfile
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz/', timeout=4)"]
CMD ["gunicorn", "shop.wsgi:application", "--bind", "0.0.0.0:8000"]
\`\`\``,
  check(ctx) {
    const m = models(ctx);
    if (m.kubernetes) return;
    const route = healthRoute(ctx);
    for (const d of prodDockerfiles(ctx)) {
      const final = d.final;
      if (!final || d.inherited(final).some((i) => i.getKeyword() === 'HEALTHCHECK')) continue;
      const built = m.compose.flatMap((c) => c.services).filter((s) => s.build && join(s.build.context, s.build.dockerfile ?? 'Dockerfile') === d.path);
      if (built.some((s) => s.hasHealthcheck)) continue;
      const at = firstStartInstruction(d) ?? endOfFinalStage(d);
      reportDocker(ctx, d, 'DL3057', {
        file: d.path,
        range: final.from.getRange(),
        message: `The image built from ${basename(d.path)} has no HEALTHCHECK${route ? ` (the project routes ${route})` : ''}: orchestration cannot tell a hung Django from a healthy one`,
        fixes: () => [{ title: `Add a HEALTHCHECK requesting ${route ?? '/healthz/'}`, edits: [insertLines(d, at, healthcheckInstruction(route ?? '/healthz/', portOf(d)))], safe: false }],
      });
    }
  },
};

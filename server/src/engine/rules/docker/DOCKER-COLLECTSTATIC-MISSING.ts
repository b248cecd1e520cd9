import { basename } from 'node:path';
import { baseName } from '../../workspace';
import { models, prodDockerfiles } from '../../deploy/context';
import { insertLines } from '../../deploy/dockerkit';
import { flags, jsonArgs } from '../../deploy/dockerfile';
import type { ProjectRule } from '../types';

/** Files of deployment platforms and task runners that can run collectstatic. */
const DEPLOY_FILES = new Set(['.gitlab-ci.yml', 'bitbucket-pipelines.yml', 'render.yaml', 'fly.toml', 'app.json', 'Makefile', 'justfile', 'nixpacks.toml', 'railway.json']);

/** Does any deployment step we can read run collectstatic? */
export function collectstaticSomewhere(ctx: Parameters<ProjectRule['check']>[0]): boolean {
  const m = models(ctx);
  for (const d of m.dockerfiles) {
    if (d.dev) continue;
    if (d.stages.some((s) => s.instructions.some((i) => i.getKeyword() === 'RUN' && /collectstatic/.test(i.getArgumentsContent() ?? '')))) return true;
    if (d.startCommands().some((c) => c.argv.includes('collectstatic'))) return true;
  }
  for (const c of m.compose) if (c.role !== 'dev' && /collectstatic/.test(c.text)) return true;
  return ctx.files.some((f) => {
    const name = baseName(f);
    // The relative path only for YAML files (a workflow): every file of the project is asked.
    const workflow = (name.endsWith('.yml') || name.endsWith('.yaml')) && /^\.github\/workflows\/.+\.ya?ml$/.test(f.slice(ctx.project.root.length + 1).split('\\').join('/'));
    const deployFile = name === 'Procfile' || name.endsWith('.sh') || workflow || DEPLOY_FILES.has(name);
    return deployFile && /collectstatic/.test(ctx.fs.readFile(f) ?? '');
  });
}

export const rule: ProjectRule = {
  id: 'DOCKER-COLLECTSTATIC-MISSING',
  name: 'docker-collectstatic-missing',
  family: 'project',
  summary: 'The project serves its own static files but nothing runs collectstatic',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `With whitenoise in the production requirements, or \`STATIC_ROOT\` set, the app serves static files
from \`STATIC_ROOT\` — which is empty until \`collectstatic\` runs. No Dockerfile RUN, container
command, entrypoint script, compose command, Procfile or CI deploy step runs it, so production
serves 404s (or 500s with a manifest storage). The fix adds it after the final stage copies the code;
when the settings need a secret key at import, a throwaway value is passed on the RUN line only.

Before:
\`\`\`dockerfile
COPY . .
CMD ["gunicorn", "shop.wsgi:application"]
\`\`\`
After:
\`\`\`dockerfile
COPY . .
RUN python manage.py collectstatic --noinput
CMD ["gunicorn", "shop.wsgi:application"]
\`\`\``,
  check(ctx) {
    const m = models(ctx);
    const whitenoise = m.deps.inProduction('whitenoise');
    const staticRoot = ctx.profile?.setting('STATIC_ROOT');
    const servesStatic = !!whitenoise || (staticRoot && !staticRoot.isDefault && staticRoot.value.kind !== 'none');
    if (!servesStatic || collectstaticSomewhere(ctx)) return;
    for (const d of prodDockerfiles(ctx)) {
      const final = d.final;
      if (!final) continue;
      const copies = final.instructions.filter((i) => (i.getKeyword() === 'COPY' || i.getKeyword() === 'ADD') && !flags(i).some((f) => f.getName() === 'from') && (jsonArgs(i) ?? i.getArguments().map((a) => a.getValue())).slice(0, -1).some((s) => s === '.' || s === './'));
      const anchor = copies[copies.length - 1] ?? final.from;
      const secret = ctx.profile?.setting('SECRET_KEY').value;
      const needs = secret?.kind === 'unknown' ? secret.required?.[0] : undefined;
      const run = `RUN ${needs ? `${needs}=build-only ` : ''}python manage.py collectstatic --noinput`;
      ctx.report({
        file: d.path,
        range: anchor.getRange(),
        message: `${whitenoise ? 'whitenoise is installed' : 'STATIC_ROOT is set'} but nothing runs collectstatic (${basename(d.path)}, compose, scripts, CI): production serves no static files`,
        fixes: () => [{ title: 'Run collectstatic --noinput after copying the code', edits: [insertLines(d, anchor.getRange().end.line + 1, run)], safe: false }],
      });
    }
  },
};

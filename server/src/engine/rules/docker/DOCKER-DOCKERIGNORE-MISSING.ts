import { basename, join } from 'node:path';
import { appendEdit, prodDockerfiles } from '../../deploy/context';
import { DOCKERIGNORE_TEMPLATE, dockerignoreOf } from '../../deploy/dockerkit';
import { flags, jsonArgs } from '../../deploy/dockerfile';
import type { ProjectRule } from '../types';

export const rule: ProjectRule = {
  id: 'DOCKER-DOCKERIGNORE-MISSING',
  name: 'dockerignore-missing',
  family: 'project',
  summary: 'COPY . copies the whole build context and there is no .dockerignore',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `Without a .dockerignore, \`COPY . .\` puts \`.git\`, \`.env\`, the local \`db.sqlite3\`, uploaded
\`media/\`, virtualenvs and caches into the image (and sends them to the builder on every build).
The fix creates one with the usual Django exclusions.

Before:
\`\`\`dockerfile
COPY . .
\`\`\`
After (.dockerignore):
\`\`\`
.git
**/__pycache__
.env
.env.*
!.env.example
.venv
media
db.sqlite3
\`\`\``,
  check(ctx) {
    for (const d of prodDockerfiles(ctx)) {
      if (dockerignoreOf(d)) continue;
      const copy = d.stages.flatMap((s) => s.instructions).find((i) => {
        const kw = i.getKeyword();
        if ((kw !== 'COPY' && kw !== 'ADD') || flags(i).some((f) => f.getName() === 'from')) return false;
        const args = jsonArgs(i) ?? i.getArguments().map((a) => a.getValue());
        return args.slice(0, -1).some((s) => s === '.' || s === './');
      });
      if (!copy) continue;
      const target = join(d.context, '.dockerignore');
      ctx.report({
        file: d.path,
        range: copy.getRange(),
        message: `${basename(d.path)} copies the whole build context but there is no .dockerignore: .git, .env, db.sqlite3 and media/ go into the image`,
        fixes: () => [{ title: 'Create a .dockerignore for a Django project', edits: [appendEdit(target, undefined, DOCKERIGNORE_TEMPLATE)], safe: false }],
      });
    }
  },
};

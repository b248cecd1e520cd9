import { basename, join, relative } from 'node:path';
import { appendEdit, models, prodDockerfiles } from '../../deploy/context';
import { dockerignoreOf } from '../../deploy/dockerkit';
import { flags, jsonArgs } from '../../deploy/dockerfile';
import { dockerIgnored, parseDockerignore } from '../../deploy/ignorefiles';
import type { ProjectRule } from '../types';
import { relativePosix } from '../../workspace';

export const LINES = ['.env', '.env.*', '**/.env', '**/.env.*', '!.env.example', '!**/.env.example'];

export const rule: ProjectRule = {
  id: 'DOCKER-ENV-FILE-IN-IMAGE',
  name: 'docker-env-file-copied',
  family: 'project',
  summary: 'A .env file in the build context is copied into the image',
  defaultSeverity: 'error',
  djangoChecks: [],
  docs: `\`COPY . .\` copies everything in the build context that .dockerignore does not exclude — including
\`.env\` with the production secret key and database password. They end up in an image layer, where a
later \`rm\` does not remove them. .dockerignore patterns are anchored at the context root (unlike
.gitignore): \`.env\` does not exclude \`app/.env\`, \`**/.env\` does.

Before (.dockerignore):
\`\`\`
.git
\`\`\`
After:
\`\`\`
.git
.env
.env.*
**/.env
**/.env.*
!.env.example
!**/.env.example
\`\`\``,
  check(ctx) {
    const envs = models(ctx).envFiles.filter((e) => !e.example);
    for (const d of prodDockerfiles(ctx)) {
      const inContext = envs.filter((e) => !relative(d.context, e.path).startsWith('..'));
      if (inContext.length === 0) continue;
      const ignoreFile = dockerignoreOf(d);
      const ignoreText = ignoreFile ? ctx.fs.readFile(ignoreFile) : undefined;
      const patterns = parseDockerignore(ignoreText ?? '');
      const leaked = inContext.filter((e) => !dockerIgnored(patterns, relativePosix(d.context, e.path)));
      if (leaked.length === 0) continue;
      for (const stage of d.stages) {
        for (const instr of stage.instructions) {
          const kw = instr.getKeyword();
          if ((kw !== 'COPY' && kw !== 'ADD') || flags(instr).some((f) => f.getName() === 'from')) continue;
          const args = jsonArgs(instr) ?? instr.getArguments().map((a) => a.getValue());
          const sources = args.slice(0, -1).map((s) => s.replace(/^\.\//, '').replace(/\/$/, ''));
          const hit = leaked.find((e) => {
            const rel = relativePosix(d.context, e.path);
            return sources.some((s) => s === '.' || s === '' || rel.startsWith(s + '/') || s === rel || (/[*?]/.test(s) && new RegExp('^' + s.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '.') + '$').test(rel)));
          });
          if (!hit) continue;
          const target = ignoreFile ?? join(d.context, '.dockerignore');
          ctx.report({
            file: d.path,
            range: instr.getRange(),
            message: `${kw} copies ${relative(d.context, hit.path)} into the image (${ignoreFile ? `${basename(ignoreFile)} does not exclude it` : 'there is no .dockerignore'}): its secrets end up in an image layer`,
            fixes: () => [{ title: `Exclude env files in ${basename(target)}`, edits: [appendEdit(target, ignoreText, LINES.filter((l) => !(ignoreText ?? '').split(/\r?\n/).includes(l)))], safe: ignoreText !== undefined }],
          });
        }
      }
    }
  },
};

import { basename, dirname, join } from 'node:path';
import { models } from '../../deploy/context';
import type { ProjectRule } from '../types';

export const rule: ProjectRule = {
  id: 'ENV-EXAMPLE-MISSING',
  name: 'env-example-missing',
  family: 'project',
  summary: 'Env files exist but no .env.example documents the variables',
  defaultSeverity: 'information',
  djangoChecks: [],
  docs: `The real \`.env\` is (rightly) not committed, so whoever deploys next has no list of the variables
production needs. A committed \`.env.example\` (or \`.env.sample\`, \`.env.template\`, \`example.env\`)
with every key and no secret values fixes that. The fix creates one from \`.env\` with the values
blanked, keeping \`DEBUG=False\` as the safe default.

Before:
\`\`\`
.env   (untracked: DJANGO_SECRET_KEY=..., DATABASE_URL=...)
\`\`\`
After (.env.example):
\`\`\`
DJANGO_SECRET_KEY=
DATABASE_URL=
DJANGO_DEBUG=False
\`\`\``,
  check(ctx) {
    const envs = models(ctx).envFiles;
    const byDir = new Map<string, typeof envs>();
    for (const e of envs) byDir.set(dirname(e.path), [...(byDir.get(dirname(e.path)) ?? []), e]);
    for (const [dir, list] of byDir) {
      if (list.some((e) => e.example)) continue;
      const env = list.find((e) => basename(e.path) === '.env') ?? list[0]!;
      if (env.role === 'dev' && !list.some((e) => e.role !== 'dev')) continue;
      const keys = [...new Set(list.flatMap((e) => e.entries.map((x) => x.key)))];
      const body = keys.map((k) => (/^(DJANGO_)?DEBUG$/i.test(k) ? `${k}=False` : `${k}=`)).join('\n');
      ctx.report({
        file: env.path,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        message: `${basename(env.path)} has no committed .env.example next to it: the variables production needs are undocumented`,
        fixes: () => keys.length ? [{ title: 'Create .env.example with the keys and no values', edits: [{ file: join(dir, '.env.example'), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: body + '\n' }], safe: false }] : [],
      });
    }
  },
};

import { basename } from 'node:path';
import { appModule, models } from '../../deploy/context';
import { commandWords } from '../../deploy/compose';
import { composeTargets, sev } from '../../deploy/composekit';
import { isRunserver } from '../../deploy/shell';
import { pinFor } from '../../requirements/rulekit';
import type { ProjectRule } from '../types';

export const rule: ProjectRule = {
  id: 'COMPOSE-RUNSERVER',
  name: 'compose-runserver',
  family: 'project',
  summary: "A production compose service runs Django's development server",
  defaultSeverity: 'error',
  djangoChecks: [],
  docs: `A \`command:\` or \`entrypoint:\` running \`manage.py runserver\` overrides the image's production
command with the development server. Development compose files (\`docker-compose.override.yml\`,
\`*dev*\`, \`*local*\`) are where this belongs and are not checked.

Before:
\`\`\`yaml
command: python manage.py runserver 0.0.0.0:8000
\`\`\`
After:
\`\`\`yaml
command: ["gunicorn", "shop.wsgi:application", "--bind", "0.0.0.0:8000"]
\`\`\``,
  check(ctx) {
    const deps = models(ctx).deps;
    for (const { file, service } of composeTargets(ctx)) {
      for (const node of [service.command, service.entrypoint]) {
        const words = commandWords(node);
        if (!node || !words) continue;
        const script = words[0] && /^(sh|bash)$/.test(words[0]) ? words.slice(2).join(' ') : undefined;
        const runs = isRunserver(words) || (script !== undefined && /manage\.py\s+runserver/.test(script)) || (node.kind === 'scalar' && /manage\.py\s+runserver/.test(node.value));
        if (!runs) continue;
        const port = words.map((w) => /:(\d{2,5})$/.exec(w)?.[1]).find(Boolean) ?? '8000';
        const app = appModule(ctx) ?? 'config.wsgi:application';
        const simple = isRunserver(words) && !/&&|;/.test(node.kind === 'scalar' ? node.value : '');
        ctx.report({
          file: file.path,
          range: node.range,
          severity: sev(file, 'error'),
          message: `Service "${service.name}" in ${basename(file.path)} runs Django's development server: use gunicorn or another production server`,
          fixes: () => simple ? [{ title: 'Run gunicorn instead', edits: [{ file: file.path, range: node.range, newText: `["gunicorn", "${app}", "--bind", "0.0.0.0:${port}"]` }, ...deps.addEdits('gunicorn', pinFor('gunicorn'))], safe: true }] : [],
        });
      }
    }
  },
};

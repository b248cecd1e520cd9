import { basename } from 'node:path';
import { appendLine, confFiles, envSetAnywhere, gunicornCommands } from '../../deploy/gunicornconf';
import type { ProjectRule } from '../types';

export const rule: ProjectRule = {
  id: 'GUNICORN-WORKERS-DEFAULT',
  name: 'gunicorn-workers-default',
  family: 'project',
  summary: 'gunicorn runs with its default single worker',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `Without \`workers\` (or \`-w\`, or \`WEB_CONCURRENCY\` in the environment) gunicorn starts one sync
worker, which serves one request at a time: one slow request blocks every user. The docs suggest
\`(2 × cores) + 1\`; in containers \`multiprocessing.cpu_count()\` reports the host's CPUs, so read the
number from \`WEB_CONCURRENCY\`.

Before (gunicorn.conf.py):
\`\`\`python
bind = "0.0.0.0:8000"
\`\`\`
After:
\`\`\`python
import os
bind = "0.0.0.0:8000"
workers = int(os.environ.get("WEB_CONCURRENCY", 3))
\`\`\``,
  check(ctx) {
    if (gunicornCommands(ctx).some((c) => c.some((a) => a === '-w' || a === '--workers' || /^--workers=|^-w\d/.test(a)))) return;
    if (envSetAnywhere(ctx, 'WEB_CONCURRENCY')) return;
    for (const conf of confFiles(ctx)) {
      if (conf.values.has('workers')) continue;
      const edits = [appendLine(conf, 'workers = int(os.environ.get("WEB_CONCURRENCY", 3))')];
      if (!conf.importsOs) edits.unshift({ file: conf.path, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: 'import os\n' });
      ctx.report({
        file: conf.path,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        message: `${basename(conf.path)} sets no workers and WEB_CONCURRENCY is not set: gunicorn serves one request at a time`,
        fixes: () => [{ title: 'Read workers from WEB_CONCURRENCY (default 3)', edits, safe: true }],
      });
    }
  },
};

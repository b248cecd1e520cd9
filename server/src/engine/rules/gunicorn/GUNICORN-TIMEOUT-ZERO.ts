import { basename } from 'node:path';
import { confFiles } from '../../deploy/gunicornconf';
import type { ProjectRule } from '../types';

export const rule: ProjectRule = {
  id: 'GUNICORN-TIMEOUT-ZERO',
  name: 'gunicorn-timeout-zero',
  family: 'project',
  summary: 'gunicorn worker timeouts are disabled (timeout = 0)',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `\`timeout = 0\` disables the worker timeout: a request stuck on a dead database connection or an
endless loop holds its worker forever, and the pool drains until the site stops answering. The
default is 30 seconds.

Before:
\`\`\`python
timeout = 0
\`\`\`
After:
\`\`\`python
timeout = 30
\`\`\``,
  check(ctx) {
    for (const conf of confFiles(ctx)) {
      const v = conf.values.get('timeout');
      if (!v || v.kind !== 'int' || v.value !== 0 || v.env) continue;
      ctx.report({ file: conf.path, range: v.range, message: `timeout = 0 in ${basename(conf.path)}: hung workers are never killed`, fixes: () => [{ title: 'Set timeout = 30', edits: [{ file: conf.path, range: v.range, newText: '30' }], safe: true }] });
    }
  },
};

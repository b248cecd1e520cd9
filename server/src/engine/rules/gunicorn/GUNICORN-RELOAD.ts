import { basename } from 'node:path';
import { confFiles } from '../../deploy/gunicornconf';
import type { ProjectRule } from '../types';

export const rule: ProjectRule = {
  id: 'GUNICORN-RELOAD',
  name: 'gunicorn-reload',
  family: 'project',
  summary: 'gunicorn.conf.py turns on code reloading',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `\`reload = True\` restarts workers whenever a source file changes. gunicorn's documentation says it is
intended for development; in production it costs CPU on file polling, restarts workers mid-request
and is incompatible with \`preload_app\`.

Before:
\`\`\`python
reload = True
\`\`\`
After:
\`\`\`python
reload = False
\`\`\``,
  check(ctx) {
    for (const conf of confFiles(ctx)) {
      const v = conf.values.get('reload');
      if (!v || v.kind !== 'bool' || v.value !== true || v.env) continue;
      ctx.report({ file: conf.path, range: v.range, message: `reload = True in ${basename(conf.path)}: code reloading is meant for development`, fixes: () => [{ title: 'Set reload = False', edits: [{ file: conf.path, range: v.range, newText: 'False' }], safe: true }] });
    }
  },
};

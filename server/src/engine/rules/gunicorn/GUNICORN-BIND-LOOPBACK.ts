import { basename } from 'node:path';
import { models } from '../../deploy/context';
import { appendLine, confFiles, envSetAnywhere, gunicornCommands } from '../../deploy/gunicornconf';
import { bindArgs, LOOPBACK } from '../docker/DOCKER-GUNICORN-BIND-LOOPBACK';
import type { ProjectRule } from '../types';

export const rule: ProjectRule = {
  id: 'GUNICORN-BIND-LOOPBACK',
  name: 'gunicorn-bind-loopback',
  family: 'project',
  summary: 'gunicorn.conf.py binds loopback only (or nothing) while gunicorn runs in a container',
  defaultSeverity: 'error',
  djangoChecks: [],
  docs: `gunicorn's default \`bind\` is \`127.0.0.1:8000\`. In a container that address is unreachable from the
published port or the proxy, so every request fails. Reported when the project has a Dockerfile, the
config file sets no \`bind\` (or a loopback one), the gunicorn command line has no \`--bind\`, and
\`PORT\` is not set (gunicorn then binds \`0.0.0.0:$PORT\`).

Before (gunicorn.conf.py):
\`\`\`python
workers = 3
\`\`\`
After:
\`\`\`python
workers = 3
bind = "0.0.0.0:8000"
\`\`\``,
  check(ctx) {
    if (!models(ctx).dockerfiles.some((d) => !d.dev)) return;
    const cmds = gunicornCommands(ctx);
    if (cmds.some((c) => bindArgs(c).length > 0) || envSetAnywhere(ctx, 'PORT')) return;
    for (const conf of confFiles(ctx)) {
      const bind = conf.values.get('bind');
      if (bind && bind.kind !== 'str') continue;
      if (bind && !LOOPBACK.test(String(bind.value))) continue;
      const port = bind ? /:(\d+)$/.exec(String(bind.value))?.[1] ?? '8000' : '8000';
      ctx.report({
        file: conf.path,
        range: bind?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        message: bind ? `bind = "${bind.value}" in ${basename(conf.path)}: nothing outside the container can reach gunicorn` : `${basename(conf.path)} sets no bind: gunicorn listens on 127.0.0.1:8000, unreachable from outside the container`,
        fixes: () => [{ title: `Bind 0.0.0.0:${port}`, edits: [bind ? { file: conf.path, range: bind.range, newText: `"0.0.0.0:${port}"` } : appendLine(conf, `bind = "0.0.0.0:${port}"`)], safe: true }],
      });
    }
  },
};

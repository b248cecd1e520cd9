import { basename } from 'node:path';
import { baseName } from '../../workspace';
import { prodDockerfiles } from '../../deploy/context';
import { portOf } from '../../deploy/dockerkit';
import { appServerOf } from '../../deploy/shell';
import type { ProjectRule } from '../types';

export function bindArgs(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-b' || a === '--bind') out.push(argv[i + 1] ?? '');
    else if (a.startsWith('--bind=')) out.push(a.slice(7));
    else if (/^-b.+/.test(a)) out.push(a.slice(2));
  }
  return out;
}

export function configArg(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-c' || a === '--config') return argv[i + 1];
    if (a.startsWith('--config=')) return a.slice(9);
  }
  return undefined;
}

export const LOOPBACK = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/;

export const rule: ProjectRule = {
  id: 'DOCKER-GUNICORN-BIND-LOOPBACK',
  name: 'docker-gunicorn-loopback',
  family: 'project',
  summary: 'gunicorn in the container listens on 127.0.0.1 only',
  defaultSeverity: 'error',
  djangoChecks: [],
  docs: `gunicorn binds \`127.0.0.1:8000\` unless told otherwise (or \`0.0.0.0:$PORT\` when \`PORT\` is set).
Inside a container, loopback is unreachable from the published port or the reverse proxy: requests
fail with "connection refused" or 502. Fine when the command has \`--bind 0.0.0.0:...\`, the image sets
\`PORT\` or \`GUNICORN_CMD_ARGS\` with a bind, or a gunicorn config file exists (GUNICORN-BIND-LOOPBACK
checks that one).

Before:
\`\`\`dockerfile
CMD ["gunicorn", "shop.wsgi:application"]
\`\`\`
After:
\`\`\`dockerfile
CMD ["gunicorn", "--bind", "0.0.0.0:8000", "shop.wsgi:application"]
\`\`\``,
  check(ctx) {
    const confExists = ctx.files.some((f) => f.endsWith('.py') && /^gunicorn(\.conf|_conf|_config|\.config)?\.py$/.test(baseName(f)));
    for (const d of prodDockerfiles(ctx)) {
      const final = d.final;
      if (!final) continue;
      const env = d.envOf(final);
      for (const c of d.startCommands()) {
        if (appServerOf(c.argv) !== 'gunicorn') continue;
        const binds = bindArgs(c.argv);
        const port = portOf(d);
        const range = c.instr.getRange();
        if (binds.length > 0) {
          const loop = binds.find((b) => LOOPBACK.test(b));
          if (!loop || binds.some((b) => !LOOPBACK.test(b))) continue;
          const at = !c.script ? d.findInInstruction(c.instr, new RegExp(loop.replace(/[.[\]]/g, '\\$&'))) : undefined;
          ctx.report({
            file: d.path,
            range,
            message: `gunicorn binds ${loop} in ${basename(d.path)}: nothing outside the container can reach it`,
            fixes: () => at ? [{ title: `Bind 0.0.0.0:${/:(\d+)$/.exec(loop)?.[1] ?? port}`, edits: [{ file: d.path, range: at, newText: `0.0.0.0:${/:(\d+)$/.exec(loop)?.[1] ?? port}` }], safe: true }] : [],
          });
          continue;
        }
        if (env.has('PORT') || /(-b|--bind)/.test(env.get('GUNICORN_CMD_ARGS')?.value ?? '') || configArg(c.argv) || confExists) continue;
        if (c.argv.some((a) => a.includes('$'))) continue;
        const json = c.form === 'exec' && !c.script ? d.findInInstruction(c.instr, /"gunicorn"/) : undefined;
        const shell = c.form === 'shell' && !c.script ? d.findInInstruction(c.instr, /\bgunicorn\b/) : undefined;
        const edit = json
          ? { file: d.path, range: { start: json.end, end: json.end }, newText: `, "--bind", "0.0.0.0:${port}"` }
          : shell
            ? { file: d.path, range: { start: shell.end, end: shell.end }, newText: ` --bind 0.0.0.0:${port}` }
            : undefined;
        ctx.report({
          file: d.path,
          range,
          message: `gunicorn has no --bind in ${basename(d.path)} and PORT is not set: it listens on 127.0.0.1:8000, unreachable from outside the container`,
          fixes: () => edit ? [{ title: `Bind 0.0.0.0:${port}`, edits: [edit], safe: true }] : [],
        });
      }
    }
  },
};

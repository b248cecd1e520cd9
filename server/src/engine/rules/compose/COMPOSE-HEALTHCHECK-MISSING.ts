import { basename, join } from 'node:path';
import { healthRoute, models } from '../../deploy/context';
import { DATASTORES, imageBase } from '../../deploy/compose';
import { composeTargets, longRunning, sev } from '../../deploy/composekit';
import type { ProjectRule } from '../types';

function template(base: string | undefined, path: string): string[] | undefined {
  if (base === 'postgres' || base === 'postgis') return ['test: ["CMD-SHELL", "pg_isready -U $${POSTGRES_USER:-postgres} -d $${POSTGRES_DB:-postgres}"]', 'interval: 10s', 'timeout: 5s', 'retries: 5'];
  if (base === 'redis' || base === 'valkey') return ['test: ["CMD", "redis-cli", "ping"]', 'interval: 10s', 'timeout: 5s', 'retries: 5'];
  if (base === 'mysql' || base === 'mariadb') return ['test: ["CMD", "mysqladmin", "ping", "-h", "127.0.0.1"]', 'interval: 10s', 'timeout: 5s', 'retries: 5'];
  if (!base) return [`test: ["CMD", "python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000${path}', timeout=4)"]`, 'interval: 30s', 'timeout: 5s', 'retries: 3', 'start_period: 30s'];
  return undefined;
}

export const rule: ProjectRule = {
  id: 'COMPOSE-HEALTHCHECK-MISSING',
  name: 'compose-healthcheck-missing',
  family: 'project',
  summary: 'A long-running compose service has no healthcheck',
  defaultSeverity: 'information',
  djangoChecks: [],
  docs: `Without a healthcheck, \`depends_on\` only waits for the database container to start, not to accept
connections, and Django crashes on boot with OperationalError. A warning for datastores other
services depend on; information otherwise. Services built from a Dockerfile with a HEALTHCHECK and
one-off jobs (\`restart: "no"\`, migrate) are not reported. \`$$\` escapes compose interpolation in the
inserted test.

Before:
\`\`\`yaml
db:
  image: postgres:16
\`\`\`
After:
\`\`\`yaml
db:
  image: postgres:16
  healthcheck:
    test: ["CMD-SHELL", "pg_isready -U $\${POSTGRES_USER:-postgres} -d $\${POSTGRES_DB:-postgres}"]
    interval: 10s
    timeout: 5s
    retries: 5
\`\`\``,
  check(ctx) {
    const m = models(ctx);
    const all = composeTargets(ctx);
    for (const { file, service } of all) {
      if (service.hasHealthcheck || !longRunning(service)) continue;
      if (service.build) {
        const df = m.dockerfiles.find((d) => d.path === join(service.build!.context, service.build!.dockerfile ?? 'Dockerfile'));
        if (df?.final && df.inherited(df.final).some((i) => i.getKeyword() === 'HEALTHCHECK')) continue;
      }
      const base = imageBase(service.image);
      const datastore = !!base && DATASTORES.has(base);
      const dependedOn = all.some((x) => x.file === file && x.service.dependsOn.includes(service.name));
      const lines = template(service.build ? undefined : base, healthRoute(ctx) ?? '/healthz/');
      const indent = ' '.repeat(service.keyIndent);
      const text = lines ? `${indent}healthcheck:\n${lines.map((l) => `${indent}  ${l}`).join('\n')}\n` : undefined;
      const at = { line: service.lastLine + 1, character: 0 };
      const fileLines = file.text.split('\n');
      const edit = text ? (at.line < fileLines.length ? { file: file.path, range: { start: at, end: at }, newText: text } : { file: file.path, range: { start: { line: fileLines.length - 1, character: fileLines[fileLines.length - 1]!.length }, end: { line: fileLines.length - 1, character: fileLines[fileLines.length - 1]!.length } }, newText: (file.text.endsWith('\n') ? '' : '\n') + text }) : undefined;
      ctx.report({
        file: file.path,
        range: service.nameRange,
        severity: sev(file, datastore && dependedOn ? 'warning' : 'information'),
        message: `Service "${service.name}" in ${basename(file.path)} has no healthcheck${datastore && dependedOn ? ': services depending on it start before it accepts connections' : ''}`,
        fixes: () => edit ? [{ title: `Add a ${base && !service.build ? base : 'HTTP'} healthcheck`, edits: [edit], safe: false }] : [],
      });
    }
  },
};

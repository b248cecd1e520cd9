import { basename } from 'node:path';
import { composeTargets, sev } from '../../deploy/composekit';
import { DATASTORES, imageBase } from '../../deploy/compose';
import { get, scalarText } from '../../deploy/yaml';
import type { ProjectRule } from '../types';
import { WEAK } from './COMPOSE-WEAK-DB-PASSWORD';

export const rule: ProjectRule = {
  id: 'COMPOSE-DATASTORE-PORT-PUBLIC',
  name: 'compose-datastore-port-public',
  family: 'project',
  summary: 'A database, Redis or broker port is published on every interface',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `\`ports: ["5432:5432"]\` publishes PostgreSQL on all host interfaces, and Docker's iptables rules
bypass host firewalls such as ufw: the database is on the internet. Django reaches it over the
compose network without any published port. Only datastore images (postgres, mysql, mariadb, redis,
valkey, memcached, mongo, rabbitmq, elasticsearch...) are checked — a public web or proxy port is
intended. An error when the datastore's password is weak or absent.

Before:
\`\`\`yaml
ports:
  - "5432:5432"
\`\`\`
After:
\`\`\`yaml
ports:
  - "127.0.0.1:5432:5432"
\`\`\``,
  check(ctx) {
    for (const { file, service } of composeTargets(ctx)) {
      const base = imageBase(service.image);
      if (!base || !DATASTORES.has(base)) continue;
      const env = new Map(service.environment.map((v) => [v.key, v.value ?? '']));
      const pw = [...env].find(([k]) => /PASSWORD$/.test(k) && !/ALLOW_EMPTY/.test(k));
      const cmd = scalarText(service.command) ?? '';
      const weak = ['redis', 'valkey', 'memcached', 'keydb'].includes(base) ? !/requirepass/.test(cmd) : !pw || WEAK.test(pw[1]) || env.get('POSTGRES_HOST_AUTH_METHOD') === 'trust';
      for (const p of service.ports) {
        let publicPort = false;
        let fixable = false;
        if (p.kind === 'scalar') {
          const parts = p.value.split(':');
          const hostIp = parts.length === 3 ? parts[0] : parts.length > 3 ? p.value.slice(0, p.value.lastIndexOf(':', p.value.lastIndexOf(':') - 1)) : undefined;
          publicPort = hostIp === undefined || hostIp === '0.0.0.0' || hostIp === '::' || hostIp === '[::]';
          fixable = hostIp === undefined;
        } else if (p.kind === 'map') {
          const hostIp = scalarText(get(p, 'host_ip'));
          publicPort = !!get(p, 'published') && (!hostIp || hostIp === '0.0.0.0' || hostIp === '::');
        }
        if (!publicPort) continue;
        const at = p.kind === 'scalar' ? { line: p.range.start.line, character: p.range.start.character + (p.quoted ? 1 : 0) } : undefined;
        ctx.report({
          file: file.path,
          range: p.range,
          severity: sev(file, weak ? 'error' : 'warning'),
          message: `${base} port of service "${service.name}" is published on every interface (${basename(file.path)})${weak ? ' and its password is weak or missing' : ''}: it is reachable from the internet`,
          fixes: () => fixable && at ? [{ title: 'Publish on 127.0.0.1 only', edits: [{ file: file.path, range: { start: at, end: at }, newText: '127.0.0.1:' }], safe: true }] : [],
        });
      }
    }
  },
};

import { basename } from 'node:path';
import { models, requirementsAnchor } from '../../deploy/context';
import { DATASTORES, imageBase } from '../../deploy/compose';
import { pinFor } from '../../requirements/rulekit';
import { dictGetStr } from '../../settings/value';
import type { Location } from '../../types';
import type { ProjectRule } from '../types';

const PG_DRIVERS = ['psycopg', 'psycopg2', 'psycopg2-binary', 'psycopg-binary', 'psycopg-c', 'psycopg2cffi'];
const MYSQL_DRIVERS = ['mysqlclient', 'pymysql', 'mysql-connector-python'];

export const rule: ProjectRule = {
  id: 'REQ-MISSING-DB-DRIVER',
  name: 'no-database-driver',
  family: 'project',
  summary: 'The project uses PostgreSQL or MySQL but no database driver is installed',
  defaultSeverity: 'error',
  djangoChecks: [],
  docs: `Django's PostgreSQL backend needs psycopg (3) or psycopg2, the MySQL backend mysqlclient (or
PyMySQL). Without one, the app starts and crashes on the first query with
\`ImproperlyConfigured: Error loading psycopg2 or psycopg module\`. PostgreSQL use is read from the
production settings' \`DATABASES\` ENGINE, a \`postgres\`/\`postgis\` service in a compose file, or a
\`DATABASE_URL=postgres://\` in an env file. \`psycopg2-binary\` counts (it works; see the psycopg docs
for why source builds are preferred).

Before:
\`\`\`python
DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", ...}}
\`\`\`
After (requirements.txt):
\`\`\`
psycopg[binary]==3.2.3
\`\`\``,
  check(ctx) {
    const m = models(ctx);
    const deps = m.deps;
    if (!deps.readable) return;
    let engine: 'postgresql' | 'mysql' | undefined;
    let where: Location | undefined;
    const dbs = ctx.profile?.setting('DATABASES');
    if (dbs?.value.kind === 'dict') {
      for (const e of dbs.value.entries) {
        const eng = dictGetStr(e.value, 'ENGINE');
        if (eng?.kind !== 'str') continue;
        if (/postgresql|postgis/.test(eng.value)) engine = 'postgresql';
        else if (/mysql/.test(eng.value)) engine = 'mysql';
        if (engine) {
          where = eng.src ?? dbs.binding?.rhs;
          break;
        }
      }
    }
    if (!engine) {
      for (const c of m.compose) {
        if (c.role === 'dev') continue;
        const svc = c.services.find((s) => ['postgres', 'postgis'].includes(imageBase(s.image) ?? '') && DATASTORES.has(imageBase(s.image)!));
        if (svc) {
          engine = 'postgresql';
          where = { file: c.path, range: svc.imageRange ?? svc.nameRange };
          break;
        }
      }
    }
    if (!engine) {
      for (const f of m.envFiles) {
        const url = f.entries.find((e) => e.key === 'DATABASE_URL' && /^postgres(ql)?(\+\w+)?:\/\//.test(e.value));
        if (url) {
          engine = 'postgresql';
          where = { file: f.path, range: url.valueRange };
          break;
        }
      }
    }
    if (!engine) return;
    const drivers = engine === 'postgresql' ? PG_DRIVERS : MYSQL_DRIVERS;
    if (deps.inProduction(...drivers)) return;
    const anchor = where ?? requirementsAnchor(ctx);
    const modern = ctx.project.djangoVersion.major > 4 || (ctx.project.djangoVersion.major === 4 && ctx.project.djangoVersion.minor >= 2);
    const [pkg, extras, version] = engine === 'mysql' ? ['mysqlclient', undefined, '2.2.6'] : modern ? ['psycopg', 'binary', pinFor('psycopg')] : ['psycopg2-binary', undefined, pinFor('psycopg2-binary')];
    const edits = deps.addEdits(pkg!, version, drivers, extras);
    const label = `${pkg}${extras ? `[${extras}]` : ''}==${version}`;
    ctx.report({
      ...anchor,
      message: `${engine === 'postgresql' ? 'PostgreSQL' : 'MySQL'} is used (${basename(anchor.file)}) but no ${engine === 'postgresql' ? 'psycopg/psycopg2' : 'mysqlclient/PyMySQL'} is in the production requirements: the first query fails`,
      fixes: () => edits.length ? [{ title: `Add ${label} to the production requirements`, edits, safe: true }] : [],
    });
  },
};

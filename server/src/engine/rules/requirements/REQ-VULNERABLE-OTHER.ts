import { basename } from 'node:path';
import { models } from '../../deploy/context';
import { affecting, anyHigh, AS_OF, describeHits, lowestAffected, lowestSafe, snapshotDocs, watchedPackages } from '../../requirements/advisories';
import { formatVersion } from '../../requirements/pep440';
import { setConstraintEdit } from '../../requirements/rulekit';
import type { ProjectRule } from '../types';

export const rule: ProjectRule = {
  id: 'REQ-VULNERABLE-OTHER',
  name: 'dependency-vulnerable',
  family: 'project',
  summary: 'A production dependency every Django deployment has (gunicorn, Django REST framework) has known advisories',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `Besides Django, the snapshot covers packages on the request path of nearly every deployment:
gunicorn (request smuggling before 22.0.0; some databases list 23.0.0 as the fix, so that is what
the fix suggests) and Django REST framework. The rule only reports packages the project itself
declares — never transitive dependencies it cannot see.

${snapshotDocs()}

Before:
\`\`\`
gunicorn==21.2.0
\`\`\`
After:
\`\`\`
gunicorn==23.0.0
\`\`\``,
  check(ctx) {
    const { deps } = models(ctx);
    const watched = watchedPackages().filter((k) => k !== 'django');
    for (const d of deps.productionDeps()) {
      if (!watched.includes(d.key) || !d.specs || d.opaqueVersion) continue;
      // pip installs the newest release a range admits: only ranges with a floor can pin an old one.
      if (!d.pinned && !d.specs.some((s) => s.op === '>=' || s.op === '>' || s.op === '~=' || s.op === '==')) continue;
      const exact = !!d.pinned;
      const low = d.pinned ? { version: d.pinned, hits: affecting(d.key, d.pinned) } : lowestAffected(d.key, d.specs);
      if (!low || low.hits.length === 0) continue;
      const safe = lowestSafe(d.key, low.version);
      const safeText = safe ? formatVersion(safe) : undefined;
      const edit = safeText ? setConstraintEdit(ctx.fs, d, `==${safeText}`) : undefined;
      ctx.report({
        file: d.file,
        range: d.range,
        severity: anyHigh(low.hits) ? 'error' : 'warning',
        message: `${d.name} ${exact ? formatVersion(low.version) : `${d.specText} (admits ${formatVersion(low.version)})`} is affected by ${describeHits(low.hits)}${safeText ? `; fixed in ${safeText}` : ''} (${AS_OF}, ${basename(d.file)})`,
        fixes: () => edit ? [{ title: `Upgrade ${d.name} to ${safeText}`, edits: [edit], safe: false }] : [],
      });
    }
  },
};

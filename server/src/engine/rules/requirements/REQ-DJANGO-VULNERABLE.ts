import { basename } from 'node:path';
import { models } from '../../deploy/context';
import { affecting, anyHigh, AS_OF, currentLts, describeHits, isPastEol, latestInSeries, lowestAffected, lowestSafe, snapshotDocs } from '../../requirements/advisories';
import { formatVersion, seriesOf } from '../../requirements/pep440';
import { setConstraintEdit } from '../../requirements/rulekit';
import type { ProjectRule } from '../types';

export const rule: ProjectRule = {
  id: 'REQ-DJANGO-VULNERABLE',
  name: 'django-vulnerable',
  family: 'project',
  summary: 'The Django version production installs has known security advisories',
  defaultSeverity: 'error',
  djangoChecks: [],
  docs: `The pinned Django (or the lowest version a range admits) falls inside the affected range of one or
more published advisories — SQL injection, denial of service, path traversal. The fix pins the
lowest release of the same series that no advisory in the snapshot affects, so the upgrade is a
patch release. The message names the advisories (CVE, then PYSEC/GHSA ids in the hover docs) and
the fixed version; findings with a high-severity advisory (SQL injection; CVSS ≥ 7) are errors,
others warnings.

${snapshotDocs()}

Before:
\`\`\`
Django==4.2.11
\`\`\`
After:
\`\`\`
Django==4.2.27
\`\`\``,
  check(ctx) {
    const { deps } = models(ctx);
    const prod = deps.productionDeps().filter((d) => d.key === 'django');
    const candidates = prod.length > 0 ? prod : deps.declared('django').filter((d) => d.group !== 'dev');
    for (const d of candidates) {
      if (d.opaqueVersion || !d.specs) continue;
      // pip installs the newest release a range admits: only ranges with a floor can pin an old one.
      if (!d.pinned && !d.specs.some((s) => s.op === '>=' || s.op === '>' || s.op === '~=' || s.op === '==')) continue;
      let hits;
      let version;
      let exact = false;
      if (d.pinned) {
        hits = affecting('django', d.pinned);
        version = d.pinned;
        exact = true;
      } else {
        const low = lowestAffected('django', d.specs);
        if (!low) continue;
        hits = low.hits;
        version = low.version;
      }
      if (hits.length === 0) continue;
      const safe = lowestSafe('django', version);
      const safeText = safe ? formatVersion(safe) : undefined;
      const what = exact ? `Django ${formatVersion(version)}` : `Django${d.specText} admits ${formatVersion(version)}, which`;
      const edit = safeText ? setConstraintEdit(ctx.fs, d, exact ? `==${safeText}` : `>=${safeText}${d.specs.filter((s) => s.op === '<' || s.op === '<=' || s.op === '!=').map((s) => `,${s.op}${s.text}`).join('')}`) : undefined;
      ctx.report({
        file: d.file,
        range: d.range,
        severity: anyHigh(hits) ? 'error' : 'warning',
        message: `${what} ${exact ? 'is' : 'is'} affected by ${hits.length} known ${hits.length === 1 ? 'vulnerability' : 'vulnerabilities'}: ${describeHits(hits)}; ${safeText ? `fixed in ${safeText}` : 'no fixed release in this series'} (${AS_OF}, ${basename(d.file)})`,
        fixes: () => [
          ...(edit ? [{ title: `Upgrade to Django ${safeText}`, edits: [edit], safe: exact }] : []),
          // Other versions to pick from: the newest patch of the series, and the current LTS.
          ...[latestInSeries(seriesOf(version)), isPastEol(seriesOf(version)) ? currentLts().latest : undefined]
            .filter((v, i, all): v is string => !!v && v !== safeText && all.indexOf(v) === i)
            .flatMap((v) => {
              const e = setConstraintEdit(ctx.fs, d, `==${v}`);
              return e ? [{ title: `Pin Django ${v}`, edits: [e], safe: false }] : [];
            }),
        ],
      });
    }
  },
};

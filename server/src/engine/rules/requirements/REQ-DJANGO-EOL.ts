import { basename } from 'node:path';
import { models } from '../../deploy/context';
import { currentLts, djangoEol, isPastEol, snapshotDocs } from '../../requirements/advisories';
import { compareVersions, parseVersion, seriesOf, setContains } from '../../requirements/pep440';
import { setConstraintEdit } from '../../requirements/rulekit';
import { KNOWN_SERIES } from '../../project/djangoVersion';
import type { ProjectRule } from '../types';

export const rule: ProjectRule = {
  id: 'REQ-DJANGO-EOL',
  name: 'django-end-of-life',
  family: 'project',
  summary: 'Production runs a Django feature release that no longer gets security fixes',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `Each Django feature release gets security fixes for a fixed time (about 16 months; three years for
an LTS). After that, vulnerabilities found in it are not fixed or even announced for it. The rule
reads the series production installs (the pinned version, or the newest series a range admits)
and compares it with the end-of-support dates in the bundled snapshot. Upgrading across feature
releases needs testing, so the fix (pin the current LTS) is never applied automatically.

${snapshotDocs()}

Before:
\`\`\`
Django==4.1.13
\`\`\`
After:
\`\`\`
Django==5.2.9
\`\`\``,
  check(ctx) {
    const { deps } = models(ctx);
    const prod = deps.productionDeps().filter((d) => d.key === 'django');
    for (const d of prod.length > 0 ? prod : deps.declared('django').filter((x) => x.group !== 'dev')) {
      if (!d.specs || d.opaqueVersion) continue;
      let series: string | undefined;
      if (d.pinned) series = seriesOf(d.pinned);
      else {
        // The newest known series the range admits: what pip would install.
        const admitted = KNOWN_SERIES.map(([a, b]) => `${a}.${b}`).filter((s) => {
          const v = parseVersion(`${s}.0`)!;
          const hi = parseVersion(`${s}.99`)!;
          return setContains(d.specs!, v) || setContains(d.specs!, hi);
        });
        admitted.sort((a, b) => compareVersions(parseVersion(b)!, parseVersion(a)!));
        series = admitted[0];
        if (!series || admitted.some((s) => !isPastEol(s))) continue;
      }
      if (!series || !isPastEol(series)) continue;
      const lts = currentLts();
      const edit = setConstraintEdit(ctx.fs, d, `==${lts.latest}`);
      ctx.report({
        file: d.file,
        range: d.range,
        message: `Django ${series} reached end of support on ${djangoEol(series)}: it gets no more security fixes (${basename(d.file)}); the current LTS is ${lts.series}`,
        fixes: () => edit ? [{ title: `Upgrade to Django ${lts.latest} (LTS)`, edits: [edit], safe: false }] : [],
      });
    }
  },
};

import { basename } from 'node:path';
import { models } from '../../deploy/context';
import { currentLts, latestInSeries } from '../../requirements/advisories';
import { hasUpperBound } from '../../requirements/pep440';
import { setConstraintEdit } from '../../requirements/rulekit';
import type { ProjectRule } from '../types';

export const rule: ProjectRule = {
  id: 'REQ-DJANGO-UNBOUNDED',
  name: 'django-unbounded',
  family: 'project',
  summary: 'Django has a lower bound but nothing stops the next feature release',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `\`Django>=4.2\` (or Poetry's \`*\`) lets a rebuild jump to a new feature release — 5.0, 6.0 — with
removed deprecations and changed defaults nobody tested. Keep the series you test against and let
only patch releases through, in any dependency file (requirements, pyproject.toml, Pipfile).

Before:
\`\`\`
Django>=4.2
\`\`\`
After:
\`\`\`
Django~=4.2.27
\`\`\``,
  check(ctx) {
    const { deps } = models(ctx);
    for (const d of deps.declared('django')) {
      if (!d.specs || d.opaqueVersion || d.url || d.path || hasUpperBound(d.specs)) continue;
      if (d.origin === 'requirements' && d.specs.length === 0) continue; // REQ-UNPINNED
      const lower = d.specs.find((s) => s.op === '>=' || s.op === '>')?.version;
      const series = lower ? `${lower.release[0]}.${lower.release[1] ?? 0}` : currentLts().series;
      const latest = latestInSeries(series);
      const constraint = latest ? (d.origin === 'poetry' ? `~${latest}` : `~=${latest}`) : undefined;
      const edit = constraint ? setConstraintEdit(ctx.fs, d, constraint) : undefined;
      ctx.report({
        file: d.file,
        range: d.range,
        message: `Django${d.specText ? d.specText : ' (any version)'} in ${basename(d.file)} has no upper bound: a rebuild can install the next feature release`,
        fixes: () => edit ? [{ title: `Stay on Django ${series} (${constraint})`, edits: [edit], safe: false }] : [],
      });
    }
  },
};

import { basename } from 'node:path';
import { models, prodDockerfiles } from '../../deploy/context';
import { djangoPythonRange } from '../../requirements/advisories';
import { compareVersions, parseVersion, seriesOf } from '../../requirements/pep440';
import type { ProjectRule } from '../types';

const EOL: Record<string, string> = { '3.9': 'October 2025', '3.8': 'October 2024', '3.7': 'June 2023', '3.6': 'December 2021' };

export const rule: ProjectRule = {
  id: 'DOCKER-PYTHON-EOL',
  name: 'docker-python-eol',
  family: 'project',
  summary: 'The final image uses a Python that is past end of life or unsupported by the pinned Django',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `\`python:3.9\` and older no longer get security fixes (3.8 ended in October 2024, 3.9 in October
2025). Independently, each Django series supports a range of Python versions (4.2: 3.8–3.12;
5.2: 3.10–3.14; 6.0: 3.12+): outside it Django may fail at import or run untested. The second case
is an error. The fix keeps the tag's variant (\`-slim-bookworm\`) and changes the version.

Before:
\`\`\`dockerfile
FROM python:3.9-slim
\`\`\`
After:
\`\`\`dockerfile
FROM python:3.12-slim
\`\`\``,
  check(ctx) {
    const django = models(ctx).deps.productionDeps().find((x) => x.key === 'django' && x.pinned)?.pinned;
    const series = django ? seriesOf(django) : ctx.project.djangoVersion.source.startsWith('assumed') ? undefined : `${ctx.project.djangoVersion.major}.${ctx.project.djangoVersion.minor}`;
    const range = series ? djangoPythonRange(series) : undefined;
    for (const d of prodDockerfiles(ctx)) {
      const final = d.final;
      const image = final?.image;
      if (!final || !image) continue;
      const m = /(?:^|\/)python:(\d+)\.(\d+)/.exec(image) ?? /python(\d)\.(\d+)/.exec(image);
      if (!m) continue;
      const py = `${m[1]}.${m[2]}`;
      const v = parseVersion(py)!;
      const eol = compareVersions(v, parseVersion('3.9')!) <= 0;
      const outside = range && (compareVersions(v, parseVersion(range[0])!) < 0 || compareVersions(v, parseVersion(range[1])!) > 0);
      if (!eol && !outside) continue;
      const target = range ? (compareVersions(parseVersion(range[1])!, parseVersion('3.13')!) > 0 ? '3.13' : range[1]) : '3.12';
      const tagRange = final.from.getImageTagRange();
      const tag = final.from.getImageTag() ?? '';
      const fixable = tagRange && tag.startsWith(py) && !/\$/.test(final.from.getImage() ?? '');
      ctx.report({
        file: d.path,
        range: final.from.getRange(),
        severity: outside ? 'error' : 'warning',
        message: outside
          ? `Python ${py} (${basename(d.path)}) is outside what Django ${series} supports (${range![0]}–${range![1]})`
          : `Python ${py} (${basename(d.path)}) reached end of life${EOL[py] ? ` in ${EOL[py]}` : ''}: it gets no security fixes`,
        fixes: () => fixable ? [{ title: `Use Python ${target}`, edits: [{ file: d.path, range: { start: tagRange.start, end: { line: tagRange.start.line, character: tagRange.start.character + py.length } }, newText: target }], safe: false }] : [],
      });
    }
  },
};

import { viewIndex } from '../../views/context';
import { nodeLocation, nodeRange } from '../../views/py';
import { findSqlSites } from '../../views/sql';
import type { ProjectRule } from '../types';

export const rule: ProjectRule = {
  id: 'DJ-VIEW-008',
  name: 'extra-rawsql-formatting',
  family: 'project',
  summary: 'QuerySet.extra() or RawSQL() receives SQL built with an f-string, %, .format() or +',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `\`QuerySet.extra(select=..., where=[...], tables=[...], order_by=[...])\` and \`RawSQL(sql, params)\` put their SQL
text into the query unchanged. Formatting values into that text (f-strings, \`%\`, \`.format()\`, \`+\`) opens the
same SQL injection hole as \`cursor.execute\` (Bandit B610/B611). Django recommends against \`.extra()\`
altogether: the ORM's expressions (\`F\`, \`Q\`, \`Func\`, \`Value\`, annotations) cover almost every use, and
\`RawSQL\` takes its values through \`params\`.

Values coming from \`request\` in the same function raise the severity to **error**. No automatic fix: the
right ORM expression depends on the query.

Before:
\`\`\`python
Order.objects.extra(where=[f"total > {minimum}"])
\`\`\`
After:
\`\`\`python
Order.objects.filter(total__gt=minimum)
# or, when SQL is really needed:
Order.objects.extra(where=["total > %s"], params=[minimum])
\`\`\``,
  check(ctx) {
    const index = viewIndex(ctx);
    for (const site of ctx.shared('views.sqlSites', () => findSqlSites(index))) {
      if (site.api !== 'extra' && site.api !== 'RawSQL') continue;
      const what = site.api === 'extra' ? '.extra()' : 'RawSQL()';
      const how = { fstring: 'an f-string', percent: '%-formatting', format: '.format()', concat: 'string concatenation' }[site.formatted.form];
      const message =
        `SQL given to ${what} is built with ${how}${site.fromRequest ? ' with request data' : ''}: values pasted into SQL allow SQL injection. ` +
        (site.api === 'extra' ? 'Use ORM expressions (filter, F, Q, annotate) or pass the values through params=[...].' : 'Pass the values through RawSQL(sql, params).');
      ctx.report({
        file: site.module.path,
        range: nodeRange(site.arg),
        message,
        severity: site.fromRequest ? 'error' : 'warning',
        related: site.via ? [{ location: nodeLocation(site.module.path, site.via), message: 'the SQL string is formatted here' }] : undefined,
      });
    }
  },
};

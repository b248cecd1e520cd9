import { viewIndex, editableFixes } from '../../views/context';
import { nodeLocation, nodeRange, replaceEdit } from '../../views/py';
import { findSqlSites, parameterize } from '../../views/sql';
import type { Fix } from '../../types';
import type { ProjectRule } from '../types';

export const rule: ProjectRule = {
  id: 'DJ-VIEW-007',
  name: 'raw-sql-formatting',
  family: 'project',
  summary: 'SQL passed to cursor.execute() or .raw() is built with an f-string, %, .format() or + instead of query parameters',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `\`cursor.execute(sql)\` and \`Model.objects.raw(sql)\` send the string to the database as written. When values
are pasted into the SQL with an f-string, \`%\`, \`.format()\` or \`+\`, a value containing a quote changes the
query: SQL injection. Passing values separately (\`cursor.execute(sql, [value])\`) lets the driver quote them.

The rule looks at every application module (not tests or migrations), at the SQL argument itself and at a
variable assigned such a string earlier in the same function. Interpolations that are structure rather than
data — table names from \`_meta\`, UPPER_CASE constants, \`quote_name()\`, \`", ".join(["%s"] * n)\` placeholder
lists — are not reported. Severity is **error** when an interpolated value comes from \`request.GET\`,
\`request.POST\`, \`request.data\`... in the same function.

Quick fix (when the shape is simple: every interpolation is a whole value after \`=\`, \`<\`, \`>\`, \`LIKE\`,
\`LIMIT\`, \`OFFSET\`, inside \`IN (...)\` or \`VALUES (...)\`, bare or in its own quotes, and no params are
passed yet): rewrite to the parameterised form. Literal \`%\` signs are doubled, as the driver requires once
parameters are passed. Identifiers (table or column names) cannot be parameters: those are left to you.

Before:
\`\`\`python
cursor.execute(f"SELECT * FROM orders WHERE customer_id = {customer_id} AND status = '{status}'")
\`\`\`
After:
\`\`\`python
cursor.execute("SELECT * FROM orders WHERE customer_id = %s AND status = %s", [customer_id, status])
\`\`\``,
  check(ctx) {
    const index = viewIndex(ctx);
    for (const site of ctx.shared('views.sqlSites', () => findSqlSites(index))) {
      if (site.api !== 'execute' && site.api !== 'raw') continue;
      const how = { fstring: 'an f-string', percent: '%-formatting', format: '.format()', concat: 'string concatenation' }[site.formatted.form];
      const callee = site.api === 'raw' ? '.raw()' : `${site.call.childForFieldName('function')?.childForFieldName('attribute')?.text ?? 'execute'}()`;
      const source = site.fromRequest ? ' with request data' : '';
      const message =
        `SQL passed to ${callee} is built with ${how}${source}${site.via ? ' (through a variable)' : ''}: ` +
        (site.fromRequest ? 'a crafted request can change the query (SQL injection). ' : 'a value containing a quote changes the query (SQL injection). ') +
        'Pass the values as query parameters instead.';
      // The parameterised call is worked out when the fix is asked for.
      const fixes = (): Fix[] => {
        const p = !site.via && !site.hasParams ? parameterize(site.formatted) : undefined;
        return p ? [{ title: 'Pass the values as query parameters', edits: [replaceEdit(site.module.path, site.arg, `${p.literal}, [${p.params.join(', ')}]`)], safe: true }] : [];
      };
      ctx.report({
        file: site.module.path,
        range: nodeRange(site.arg),
        message,
        severity: site.fromRequest ? 'error' : 'warning',
        fixes: () => editableFixes(ctx, fixes()),
        related: site.via ? [{ location: nodeLocation(site.module.path, site.via), message: 'the SQL string is formatted here' }] : undefined,
      });
    }
  },
};

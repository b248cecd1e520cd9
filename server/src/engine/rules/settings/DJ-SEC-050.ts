import { truthy } from '../../settings/value';
import type { SettingsRule } from '../types';

export const rule: SettingsRule = {
  id: 'DJ-SEC-050',
  name: 'async-unsafe-allowed',
  family: 'settings',
  summary: 'Settings set DJANGO_ALLOW_ASYNC_UNSAFE',
  defaultSeverity: 'error',
  djangoChecks: ['async.E001'],
  docs: `\`DJANGO_ALLOW_ASYNC_UNSAFE\` disables Django's guard against running ORM queries from async code,
where they can corrupt connections shared between coroutines. It exists for notebooks and tests;
settings that set it for the whole process ship that risk to production.

Before:
\`\`\`python
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
\`\`\`
After: delete the line.`,
  check(ctx) {
    const v = ctx.profile.environmentValue('DJANGO_ALLOW_ASYNC_UNSAFE');
    // Django tests the variable's truthiness: an empty string does not count.
    if (!v || !v.src || truthy(v) === false) return;
    const stmt = statementAt(ctx, v.src);
    ctx.report({
      at: stmt ?? v.src,
      message: 'The settings set DJANGO_ALLOW_ASYNC_UNSAFE: Django no longer stops ORM calls from async code',
      djangoChecks: ['async.E001'],
      fixes: () => stmt ? [{ title: 'Remove DJANGO_ALLOW_ASYNC_UNSAFE', edits: [ctx.edit.deleteStatement(stmt)], safe: true }] : [],
    });
  },
};

function statementAt(ctx: Parameters<SettingsRule['check']>[0], loc: { file: string; range: { start: { line: number; character: number } } }) {
  const root = ctx.edit.rootOf(loc.file);
  let node = root?.descendantForPosition({ row: loc.range.start.line, column: loc.range.start.character }) ?? null;
  while (node && node.type !== 'expression_statement') node = node.parent;
  if (!node) return undefined;
  return {
    file: loc.file,
    range: {
      start: { line: node.startPosition.row, character: node.startPosition.column },
      end: { line: node.endPosition.row, character: node.endPosition.column },
    },
  };
}

import { locOf, nodesOfType } from '../environment/scan';
import type { SettingsRule } from '../types';

export const rule: SettingsRule = {
  id: 'DJ-ENV-006',
  name: 'assert-for-config',
  family: 'settings',
  summary: 'Settings validate configuration with assert',
  defaultSeverity: 'information',
  djangoChecks: [],
  docs: `\`assert\` statements disappear when Python runs with \`-O\` (some images and process managers set it),
so a check such as \`assert SECRET_KEY, "set SECRET_KEY"\` silently stops protecting production. Raise
ImproperlyConfigured instead.

Before:
\`\`\`python
assert os.environ.get("DATABASE_URL"), "DATABASE_URL is required"
\`\`\`
After:
\`\`\`python
if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured("DATABASE_URL is required")
\`\`\``,
  check(ctx) {
    for (const { file, node } of nodesOfType(ctx, ['assert_statement'], /\bassert\b/)) {
      if (node.parent?.type !== 'module' && node.parent?.type !== 'block') continue;
      const [cond, msg] = node.namedChildren.filter((c) => c && c.type !== 'comment');
      if (!cond) continue;
      const indent = ' '.repeat(node.startPosition.column);
      const message = msg ? msg.text : JSON.stringify(`Invalid configuration: ${cond.text}`);
      const replacement = `if not (${cond.text}):\n${indent}    raise ImproperlyConfigured(${message})`;
      ctx.report({
        at: locOf(file, node),
        message: 'This assert disappears under python -O: raise ImproperlyConfigured so the check always runs',
        fixes: () => [{ title: 'Rewrite as if/raise ImproperlyConfigured', edits: [{ ...locOf(file, node), newText: replacement }, ...ctx.edit.importEdits(['from django.core.exceptions import ImproperlyConfigured'], file)], safe: true }],
      });
    }
  },
};

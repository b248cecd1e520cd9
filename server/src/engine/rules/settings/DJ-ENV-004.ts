import { locOf, nodesOfType } from '../environment/scan';
import type { SyntaxNode } from '../../parsing/syntax';
import type { SettingsRule } from '../types';

const OPTIONAL_READ = /^os\.(getenv|environ\.get)$/;

function readArguments(call: SyntaxNode): SyntaxNode[] {
  return call.childForFieldName('arguments')?.namedChildren.filter((a) => a.type !== 'comment') ?? [];
}

/** `os.getenv("X").method(...)`: a method called on a one-argument optional read. */
function isMethodOnOptionalRead(node: SyntaxNode): boolean {
  const fn = node.childForFieldName('function');
  if (fn?.type !== 'attribute') return false;
  const inner = fn.childForFieldName('object');
  if (inner?.type !== 'call' || !OPTIONAL_READ.test(inner.childForFieldName('function')?.text ?? '')) return false;
  const real = readArguments(inner);
  return real.length === 1 && real[0]!.type !== 'keyword_argument';
}

export const rule: SettingsRule = {
  id: 'DJ-ENV-004',
  name: 'method-on-missing-env',
  family: 'settings',
  summary: 'A string method is called on an environment read that is None when unset',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `\`os.environ.get("ALLOWED_HOSTS").split(",")\` raises AttributeError at import when the variable is
unset (\`None\` has no \`split\`), so the whole site fails to start with a confusing traceback. Give the read
a default, or require the variable explicitly.

Before:
\`\`\`python
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS").split(",")
\`\`\`
After:
\`\`\`python
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",")
\`\`\``,
  check(ctx) {
    for (const { file, node } of nodesOfType(ctx, ['call'], /\b(getenv|environ\.get)\([^()]*\)\s*\./, { name: 'DJ-ENV-004', test: isMethodOnOptionalRead })) {
      const fn = node.childForFieldName('function')!;
      const inner = fn.childForFieldName('object')!;
      const real = readArguments(inner);
      const method = fn.childForFieldName('attribute')?.text;
      const name = real[0]!.text;
      const end = real[0]!.endPosition;
      ctx.report({
        at: locOf(file, inner),
        message: `${inner.text}.${method}() raises AttributeError at import when ${name} is unset (the read returns None)`,
        fixes: () => [{ title: 'Default to an empty string', edits: [{ file, range: { start: { line: end.row, character: end.column }, end: { line: end.row, character: end.column } }, newText: ', ""' }], safe: true }],
      });
    }
  },
};

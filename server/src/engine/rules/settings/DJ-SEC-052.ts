import type { SyntaxNode } from '../../parsing/syntax';
import type { SettingsRule } from '../types';

export const rule: SettingsRule = {
  id: 'DJ-SEC-052',
  name: 'csrf-failure-view',
  family: 'settings',
  summary: 'CSRF_FAILURE_VIEW cannot be imported or has the wrong signature',
  defaultSeverity: 'error',
  djangoChecks: ['security.E101', 'security.E102'],
  docs: `Django calls \`CSRF_FAILURE_VIEW\` as \`view(request, reason="...")\` whenever it rejects a request.
A dotted path that cannot be imported (E102) or a view that does not accept a \`reason\` argument (E101)
turns every CSRF rejection into a server error. The view is read from the workspace, never imported.

Before:
\`\`\`python
def csrf_failure(request):
    ...
\`\`\`
After:
\`\`\`python
def csrf_failure(request, reason=""):
    ...
\`\`\``,
  check(ctx) {
    const s = ctx.setting('CSRF_FAILURE_VIEW');
    if (s.isDefault || s.value.kind !== 'str') return;
    const path = s.value.value;
    const dot = path.lastIndexOf('.');
    if (dot <= 0) {
      ctx.report({
        setting: s,
        message: `CSRF_FAILURE_VIEW ${JSON.stringify(path)} is not a dotted path to a view, so it cannot be imported`,
        djangoChecks: ['security.E102'],
      });
      return;
    }
    const moduleName = path.slice(0, dot);
    const funcName = path.slice(dot + 1);
    const file = ctx.edit.resolveModuleFile(moduleName);
    if (file === 'missing') {
      ctx.report({
        setting: s,
        message: `CSRF_FAILURE_VIEW ${JSON.stringify(path)} cannot be imported: ${moduleName} is neither in the project nor in its requirements`,
        djangoChecks: ['security.E102'],
      });
      return;
    }
    if (!file) return;
    const root = ctx.edit.rootOf(file);
    const def = root ? findFunction(root, funcName) : undefined;
    if (!def || acceptsRequestAndReason(def)) return;
    ctx.report({
      setting: s,
      message: `CSRF_FAILURE_VIEW ${funcName}() must accept (request, reason=...): Django passes the reason as a keyword`,
      djangoChecks: ['security.E101'],
      related: [{ location: { file, range: { start: { line: def.startPosition.row, character: def.startPosition.column }, end: { line: def.startPosition.row, character: def.startPosition.column + 3 } } }, message: 'the view' }],
    });
  },
};

function findFunction(root: SyntaxNode, name: string): SyntaxNode | undefined {
  for (const stmt of root.namedChildren) {
    const def = stmt?.type === 'decorated_definition' ? stmt.childForFieldName('definition') : stmt;
    if (def?.type === 'function_definition' && def.childForFieldName('name')?.text === name) return def;
  }
  return undefined;
}

/** Would `inspect.signature(view).bind(None, reason=None)` succeed? */
function acceptsRequestAndReason(def: SyntaxNode): boolean {
  const params = def.childForFieldName('parameters')?.namedChildren ?? [];
  let positionalTaken = false;
  let reasonOk = false;
  let kwOnly = false;
  for (const p of params) {
    if (!p) continue;
    if (p.type === 'list_splat_pattern') {
      positionalTaken = true;
      kwOnly = true;
      continue;
    }
    if (p.type === 'dictionary_splat_pattern') {
      reasonOk = true;
      continue;
    }
    if (p.type === 'keyword_separator') {
      kwOnly = true;
      continue;
    }
    if (p.type === 'positional_separator') continue;
    const name = p.type === 'identifier' ? p.text : (p.childForFieldName('name')?.text ?? p.namedChildren[0]?.text);
    const hasDefault = p.type === 'default_parameter' || p.type === 'typed_default_parameter';
    if (name === 'reason') {
      reasonOk = true;
      continue;
    }
    if (!kwOnly && !positionalTaken) {
      positionalTaken = true;
      continue;
    }
    if (!hasDefault) return false;
  }
  return positionalTaken && reasonOk;
}

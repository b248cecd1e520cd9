// The rate-limit quick fix (spec DJ-VIEW-003, seed S0 §2): one fix whose edits may span the view
// module, the production requirements file and the settings module.
//
// Decorator order (decorators apply bottom-up, the top one sees the request first):
//   - `@ratelimit` goes BELOW authentication decorators (`@login_required`, `@permission_required`,
//     `@user_passes_test`, `@staff_member_required`): anonymous requests are turned away before they
//     count, so an attacker cannot exhaust a logged-in user's budget;
//   - and ABOVE everything else (`@require_POST`, `@csrf_protect`, `@sensitive_post_parameters`,
//     `@never_cache`, DRF's `@api_view`): the limit is checked before any other work, and above
//     `@api_view` it sees Django's request, as in seed S3's example.
// Class-based views get `@method_decorator(ratelimit(...), name="post")` right above `class`.
// DRF class views get `throttle_classes = [ScopedRateThrottle]` + `throttle_scope = "<scope>"` and the
// scope's rate in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] (a scope without a rate raises
// ImproperlyConfigured on the first request); when no REST_FRAMEWORK dict every environment reads can be
// edited safely they get the method_decorator form instead.
import type { SyntaxNode } from '../parsing/syntax';
import type { Fix, TextEdit } from '../types';
import { dictAt, dictInsertEdits, dictValue } from './dictEdit';
import { ensureName, importEdits, type PyModule } from './imports';
import { type ClassView, classAttributes, type FunctionView, lookupMethod, type View } from './model';
import { AUTH_DECORATORS, METHOD_DECORATOR, RATELIMIT_ARGS, RATELIMIT_QUALIFIED } from './patterns';
import { firstBodyStatement, insertLinesAfter, insertLinesBefore, isDocstring, replaceEdit } from './py';
import type { AuthCategory } from './ratelimit';

export const SCOPE_OF: Record<AuthCategory, string> = { login: 'login', password: 'password_reset', signup: 'signup', otp: 'otp' };
export const DRF_RATE = '5/min';

function ratelimitName(mod: PyModule): { expr: string; imports: string[] } {
  for (const q of RATELIMIT_QUALIFIED) {
    const e = mod.expressionFor(q);
    if (e && q.startsWith('django_ratelimit')) return { expr: e, imports: [] };
  }
  return ensureName(mod, RATELIMIT_QUALIFIED[0]!, 'dj_ratelimit');
}

/** Edits putting `@ratelimit(...)` on a function view at the documented position. */
export function functionRateLimitEdits(view: FunctionView): TextEdit[] {
  const mod = view.module;
  const rl = ratelimitName(mod);
  const decorators = view.decorators;
  let idx = 0;
  for (let i = 0; i < decorators.length; i++) if (AUTH_DECORATORS.test(decorators[i]!.name)) idx = i + 1;
  const line = idx < decorators.length ? decorators[idx]!.node.startPosition.row : view.node.startPosition.row;
  const column = (decorators[0]?.node ?? view.node).startPosition.column;
  const indent = ' '.repeat(column);
  return [...importEdits(mod, rl.imports), insertLinesBefore(mod.path, line, [`@${rl.expr}(${RATELIMIT_ARGS})`], indent)];
}

function handlerName(view: ClassView): string {
  for (const m of ['post', 'put', 'patch', 'create']) if (lookupMethod(view, m)) return m;
  return 'post';
}

/** Edits putting `@method_decorator(ratelimit(...), name="post")` right above a class. */
export function classRateLimitEdits(view: ClassView): TextEdit[] {
  const mod = view.module;
  const rl = ratelimitName(mod);
  const md = ensureName(mod, METHOD_DECORATOR);
  const indent = ' '.repeat(view.node.startPosition.column);
  const line = view.node.startPosition.row;
  return [...importEdits(mod, [...md.imports, ...rl.imports]), insertLinesBefore(mod.path, line, [`@${md.expr}(${rl.expr}(${RATELIMIT_ARGS}), name="${handlerName(view)}")`], indent)];
}

/** Edits adding DRF scoped throttling attributes to a class view. */
export function drfThrottleEdits(view: ClassView, scope: string, globalScoped: boolean): TextEdit[] {
  const mod = view.module;
  const body = view.node.childForFieldName('body');
  if (!body) return [];
  const edits: TextEdit[] = [];
  const lines: string[] = [];
  const attrs = classAttributes(view.node);
  const own = attrs.get('throttle_classes');
  if (!globalScoped || own) {
    const stc = ensureName(mod, 'rest_framework.throttling.ScopedRateThrottle');
    edits.push(...importEdits(mod, stc.imports));
    if (own) edits.push(replaceEdit(mod.path, own.value, `[${stc.expr}]`));
    else lines.push(`throttle_classes = [${stc.expr}]`);
  }
  const ownScope = attrs.get('throttle_scope');
  if (ownScope) edits.push(replaceEdit(mod.path, ownScope.value, `"${scope}"`));
  else lines.push(`throttle_scope = "${scope}"`);
  if (lines.length) {
    const first = firstBodyStatement(body);
    if (!first) return [];
    const indent = ' '.repeat(first.startPosition.column);
    if (first.startPosition.row === view.node.startPosition.row) return []; // `class X(APIView): pass` on one line
    if (isDocstring(first)) edits.push(insertLinesAfter(mod.path, mod.text, first, lines, indent));
    else {
      // Keep a blank line between the new attributes and a following method.
      const defNext = first.type === 'function_definition' || first.type === 'decorated_definition' || first.type === 'class_definition';
      edits.push(insertLinesBefore(mod.path, first.startPosition.row, defNext ? [...lines, ''] : lines, indent));
    }
  }
  return edits;
}

/**
 * Edits giving a DRF throttle scope its rate in the settings dict REST_FRAMEWORK (file + range of its
 * value), or undefined when the dict cannot be edited safely.
 */
export function drfRateEdits(
  scope: string,
  rest: { file: string; text: string; root: SyntaxNode; range: { start: { line: number; character: number }; end: { line: number; character: number } } },
): TextEdit[] | undefined {
  const dict = dictAt(rest.root, rest.range);
  if (!dict) return undefined;
  const rates = dictValue(dict, 'DEFAULT_THROTTLE_RATES');
  if (!rates) return dictInsertEdits(rest.file, rest.text, dict, `"DEFAULT_THROTTLE_RATES": {"${scope}": "${DRF_RATE}"}`);
  if (rates.type !== 'dictionary') return undefined;
  if (dictValue(rates, scope)) return [];
  return dictInsertEdits(rest.file, rest.text, rates, `"${scope}": "${DRF_RATE}"`);
}

export function fixTitle(view: View, how: string, requirement: TextEdit[]): string {
  const req = requirement.length ? ' and add django-ratelimit to the requirements' : '';
  return `Rate-limit ${view.name} with ${how}${req}`;
}

export function mergeFix(title: string, ...edits: TextEdit[][]): Fix {
  return { title, edits: edits.flat(), safe: true };
}

// Strings built from data — f-strings, `"..." % x`, `"...".format(x)`, `"..." + x` — as a sequence of
// literal pieces and interpolated expressions, so SQL and HTML rules can tell literal text from data
// and rewrite the string into a parameterised form (`cursor.execute("... %s", [x])`,
// `format_html("... {}", x)`).
import type { SyntaxNode } from '../parsing/syntax';
import { callParts, descendants, interpolations, isFString, named, stringPrefix, unparen } from './py';

export type Piece = { lit: string } | { expr: SyntaxNode };

export interface Formatted {
  form: 'fstring' | 'percent' | 'format' | 'concat';
  node: SyntaxNode;
  /** Literal raw source text and expressions, in order; undefined when the shape is not simple. */
  pieces?: Piece[];
  /** The string delimiters (`"`, `'''`) and prefix without `f` (`r`, ``), for rebuilding a literal. */
  quote?: string;
  prefix?: string;
  /** Interpolated expressions (always known). */
  exprs: SyntaxNode[];
  /** For %-formatting: whether placeholders used %(name)s (dict) forms. */
  simple: boolean;
}

function delimiters(str: SyntaxNode): { quote: string; prefix: string } | undefined {
  const start = str.children.find((c) => c?.type === 'string_start')?.text;
  if (!start) return undefined;
  const m = /^([A-Za-z]*)("""|'''|"|')$/.exec(start);
  if (!m) return undefined;
  return { prefix: m[1]!.replace(/[fF]/g, ''), quote: m[2]! };
}

/** Raw text between the delimiters of a plain string literal. */
function rawContent(str: SyntaxNode): string {
  const start = str.children.find((c) => c?.type === 'string_start')!;
  const end = str.children.find((c) => c?.type === 'string_end')!;
  return str.text.slice(start.endIndex - str.startIndex, end.startIndex - str.startIndex);
}

/** Is an expression a literal (string, number) rather than data? */
function isLiteral(n: SyntaxNode): boolean {
  const u = unparen(n);
  if (u.type === 'string') return !isFString(u) || interpolations(u).length === 0;
  if (u.type === 'concatenated_string') return named(u).every(isLiteral);
  return u.type === 'integer' || u.type === 'float' || u.type === 'true' || u.type === 'false' || u.type === 'none';
}

/** Classify an expression as a formatted string, or undefined for literals and anything else. */
export function formattedString(node: SyntaxNode): Formatted | undefined {
  const n = unparen(node);
  if (n.type === 'string' && isFString(n)) {
    const exprs = interpolations(n).map((i) => i.childForFieldName('expression') ?? i);
    if (exprs.length === 0) return undefined;
    const d = delimiters(n);
    let simple = true;
    const pieces: Piece[] = [];
    for (const c of named(n)) {
      if (c.type === 'string_content') pieces.push({ lit: c.text.replace(/\{\{/g, '{').replace(/\}\}/g, '}') });
      else if (c.type === 'interpolation') {
        if (c.childForFieldName('format_specifier') || c.childForFieldName('type_conversion') || named(c).some((x) => x.type === 'format_specifier' || x.type === 'type_conversion')) simple = false;
        const e = c.childForFieldName('expression');
        if (!e) simple = false;
        else pieces.push({ expr: e });
      }
    }
    return { form: 'fstring', node: n, pieces: simple ? mergeLits(pieces) : undefined, exprs, quote: d?.quote, prefix: d?.prefix, simple };
  }
  if (n.type === 'binary_operator') {
    const op = n.children.find((c) => c && !c.isNamed)?.text;
    const left = unparen(n.childForFieldName('left')!);
    const right = unparen(n.childForFieldName('right')!);
    if (op === '%' && left.type === 'string' && !isFString(left)) {
      const values = right.type === 'tuple' ? named(right) : [right];
      const exprs = values.filter((v) => !isLiteral(v));
      if (exprs.length === 0) return undefined;
      const d = delimiters(left);
      if (right.type === 'dictionary' || values.some((v) => v.type === 'list_splat')) return { form: 'percent', node: n, exprs, simple: false };
      // A single non-tuple right operand could itself be a tuple variable: only simple with one placeholder.
      const raw = rawContent(left);
      const pieces: Piece[] = [];
      const re = /%(%|[sdif]|r)/g;
      let last = 0;
      let i = 0;
      let simple = true;
      for (let m = re.exec(raw); m; m = re.exec(raw)) {
        if (m[1] === '%') continue;
        if (m[1] === 'r') simple = false;
        pieces.push({ lit: raw.slice(last, m.index).replace(/%%/g, '%') });
        const v = values[i++];
        if (!v) {
          simple = false;
          break;
        }
        pieces.push(isLiteral(v) ? { lit: literalText(v) ?? '' } : { expr: v });
        last = m.index + m[0].length;
      }
      pieces.push({ lit: raw.slice(last).replace(/%%/g, '%') });
      if (i !== values.length || /%\(/.test(raw)) simple = false;
      if (right.type !== 'tuple' && i !== 1) simple = false;
      if (values.some((v) => isLiteral(v) && literalText(v) === undefined)) simple = false;
      return { form: 'percent', node: n, pieces: simple ? mergeLits(pieces) : undefined, exprs, quote: d?.quote, prefix: d?.prefix, simple };
    }
    if (op === '+') {
      const parts: SyntaxNode[] = [];
      const flatten = (x: SyntaxNode) => {
        const u = unparen(x);
        if (u.type === 'binary_operator' && u.children.find((c) => c && !c.isNamed)?.text === '+') {
          flatten(u.childForFieldName('left')!);
          flatten(u.childForFieldName('right')!);
        } else parts.push(u);
      };
      flatten(n);
      const strings = parts.filter((p) => p.type === 'string' && !isFString(p));
      if (strings.length === 0) return undefined;
      const exprs = parts.filter((p) => !(p.type === 'string' && !isFString(p)) && !isLiteral(p));
      if (exprs.length === 0) return undefined;
      const d = delimiters(strings[0]!);
      let simple = parts.every((p) => p.type !== 'string' || !isFString(p)) && strings.every((s) => s.children.find((c) => c?.type === 'string_start')?.text === strings[0]!.children.find((c) => c?.type === 'string_start')?.text);
      const pieces: Piece[] = [];
      for (const p of parts) {
        if (p.type === 'string') pieces.push({ lit: rawContent(p) });
        else if (isLiteral(p)) {
          const t = literalText(p);
          if (t === undefined) simple = false;
          else pieces.push({ lit: t });
        } else pieces.push({ expr: unwrapStr(p) });
      }
      return { form: 'concat', node: n, pieces: simple ? mergeLits(pieces) : undefined, exprs, quote: d?.quote, prefix: d?.prefix, simple };
    }
    return undefined;
  }
  if (n.type === 'call') {
    const fn = n.childForFieldName('function');
    if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'format') return undefined;
    const obj = unparen(fn.childForFieldName('object')!);
    if (obj.type !== 'string' || isFString(obj)) return undefined;
    const parts = callParts(n)!;
    const exprs = [...parts.positional, ...parts.keywords.values()].filter((v) => !isLiteral(v));
    if (exprs.length === 0) return undefined;
    const d = delimiters(obj);
    const raw = rawContent(obj);
    const pieces: Piece[] = [];
    let simple = parts.keywords.size === 0 && parts.positional.every((p) => p.type !== 'list_splat' && p.type !== 'dictionary_splat');
    let last = 0;
    let auto = 0;
    const re = /\{\{|\}\}|\{([^{}]*)\}/g;
    for (let m = re.exec(raw); m; m = re.exec(raw)) {
      if (m[0] === '{{' || m[0] === '}}') continue;
      const field = m[1]!;
      let idx: number;
      if (field === '') idx = auto++;
      else if (/^\d+$/.test(field)) idx = Number(field);
      else {
        simple = false;
        break;
      }
      pieces.push({ lit: raw.slice(last, m.index).replace(/\{\{/g, '{').replace(/\}\}/g, '}') });
      const v = parts.positional[idx];
      if (!v) {
        simple = false;
        break;
      }
      pieces.push(isLiteral(v) ? { lit: literalText(v) ?? '' } : { expr: v });
      last = m.index + m[0].length;
    }
    pieces.push({ lit: raw.slice(last).replace(/\{\{/g, '{').replace(/\}\}/g, '}') });
    return { form: 'format', node: n, pieces: simple ? mergeLits(pieces) : undefined, exprs, quote: d?.quote, prefix: d?.prefix, simple };
  }
  return undefined;
}

/** `str(x)` → `x` (a parameter does its own conversion). */
function unwrapStr(n: SyntaxNode): SyntaxNode {
  if (n.type === 'call' && n.childForFieldName('function')?.text === 'str') {
    const a = callParts(n)!.positional;
    if (a.length === 1) return unparen(a[0]!);
  }
  return n;
}

/** Raw text for a literal inlined into a string (numbers; simple strings without quotes). */
function literalText(n: SyntaxNode): string | undefined {
  const u = unparen(n);
  if (u.type === 'integer' || u.type === 'float') return u.text;
  if (u.type === 'string' && !isFString(u) && !stringPrefix(u).includes('b')) {
    const raw = rawContent(u);
    return /["'\\]/.test(raw) ? undefined : raw;
  }
  return undefined;
}

function mergeLits(pieces: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const p of pieces) {
    const prev = out[out.length - 1];
    if ('lit' in p && prev && 'lit' in prev) prev.lit += p.lit;
    else out.push('lit' in p ? { lit: p.lit } : p);
  }
  return out;
}

/** The literal text of a formatted string (data replaced by nothing), for keyword tests. */
export function literalSkeleton(f: Formatted): string {
  if (f.pieces) return f.pieces.map((p) => ('lit' in p ? p.lit : ' ')).join('');
  return f.node.text;
}

/**
 * Follow a name to the formatted strings assigned to it earlier in the same function
 * (`sql = f"..."`, `html += f"<li>{x}</li>"`).
 */
export function tracedFormatted(name: SyntaxNode, scope: SyntaxNode | undefined): { assignment: SyntaxNode; formatted: Formatted }[] {
  if (name.type !== 'identifier' || !scope) return [];
  const out: { assignment: SyntaxNode; formatted: Formatted }[] = [];
  for (const n of descendants(scope, ['assignment', 'augmented_assignment'])) {
    if (n.startIndex >= name.startIndex || n.childForFieldName('left')?.text !== name.text) continue;
    const right = n.childForFieldName('right');
    const f = right ? formattedString(right) : undefined;
    if (f) out.push({ assignment: n, formatted: f });
  }
  return out;
}

/** The function (or module) a node is in. */
export function enclosingFunction(node: SyntaxNode): SyntaxNode | undefined {
  let p = node.parent;
  while (p && p.type !== 'function_definition') p = p.parent;
  return p ?? undefined;
}

/** Names assigned from `request.*` in a function (one hop), for taint messages. */
export function requestDerivedNames(fn: SyntaxNode | undefined): Set<string> {
  const out = new Set<string>();
  if (!fn || !REQUEST_DATA.test(fn.text)) return out;
  for (const n of descendants(fn, 'assignment')) {
    const left = n.childForFieldName('left');
    const right = n.childForFieldName('right');
    if (left?.type === 'identifier' && right && REQUEST_DATA.test(right.text)) out.add(left.text);
  }
  return out;
}

const REQUEST_DATA = /\brequest\.(GET|POST|data|query_params|body|COOKIES|META|headers|FILES)\b/;

/** Does an expression use request data (directly or through a name assigned from it)? */
export function usesRequestData(expr: SyntaxNode, derived: Set<string>): boolean {
  if (REQUEST_DATA.test(expr.text)) return true;
  if (derived.size === 0) return false;
  if (expr.type === 'identifier') return derived.has(expr.text);
  return descendants(expr, 'identifier').some((n) => derived.has(n.text));
}

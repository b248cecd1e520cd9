// Python literal text → JS values (string prefixes, escapes, numbers).
import type { SyntaxNode } from '../parsing/syntax';

export function stringPrefix(node: SyntaxNode): string {
  const start = node.firstChild;
  if (!start || start.type !== 'string_start') return '';
  return start.text.replace(/['"]+$/, '').toLowerCase();
}

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0',
};

export function decodeEscapes(raw: string): string {
  if (!raw.includes('\\')) return raw;
  return raw.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|N\{[^}]*\}|[0-7]{1,3}|\r?\n|.)/g, (m, e: string) => {
    if (e === '\n' || e === '\r\n') return '';
    const c = e[0]!;
    if (c === 'x' || c === 'u' || c === 'U') return String.fromCodePoint(parseInt(e.slice(1), 16));
    if (c === 'N') return m;
    if (/[0-7]/.test(c) && e.length > 1) return String.fromCharCode(parseInt(e, 8));
    return SIMPLE_ESCAPES[c] ?? m;
  });
}

/** Text between the quotes of a non-f string node, decoded unless raw. */
export function plainStringValue(node: SyntaxNode): string {
  const start = node.firstChild;
  const end = node.lastChild;
  if (!start || !end || start.type !== 'string_start' || end.type !== 'string_end') return '';
  const raw = node.text.slice(start.endIndex - node.startIndex, end.startIndex - node.startIndex);
  return stringPrefix(node).includes('r') ? raw : decodeEscapes(raw);
}

export function parseIntLiteral(text: string): number | undefined {
  const t = text.replace(/_/g, '').toLowerCase().replace(/l$/, '');
  if (/^0x[0-9a-f]+$/.test(t)) return parseInt(t.slice(2), 16);
  if (/^0o[0-7]+$/.test(t)) return parseInt(t.slice(2), 8);
  if (/^0b[01]+$/.test(t)) return parseInt(t.slice(2), 2);
  if (/^\d+$/.test(t)) return Number(t);
  return undefined;
}

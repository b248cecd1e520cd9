// A small YAML reader for docker-compose files, with positions: block mappings and sequences,
// flow collections on one line, plain and quoted scalars, block scalars (`|`, `>`), comments,
// anchors, aliases and `<<` merge keys (compose files use them for shared environments). It is not
// a general YAML parser: what it cannot read becomes an `unknown` node, and rules never report on
// unknown nodes.
import type { Range } from '../types';

export type YamlNode =
  | { kind: 'map'; entries: YamlEntry[]; range: Range; merged?: boolean }
  | { kind: 'seq'; items: YamlNode[]; range: Range }
  | { kind: 'scalar'; value: string; quoted: boolean; range: Range }
  | { kind: 'unknown'; range: Range };

export interface YamlEntry {
  key: string;
  keyRange: Range;
  value: YamlNode;
  /** The entry's first line. */
  line: number;
}

interface Line {
  n: number;
  indent: number;
  /** Content without indentation and without a trailing comment. */
  text: string;
  raw: string;
}

function stripComment(s: string): string {
  let q: string | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (q) {
      if (c === q) q = undefined;
      else if (c === '\\' && q === '"') i++;
    } else if (c === '"' || c === "'") {
      if (i === 0 || /[\s:,[{-]/.test(s[i - 1]!)) q = c;
    } else if (c === '#' && (i === 0 || /\s/.test(s[i - 1]!))) return s.slice(0, i).trimEnd();
  }
  return s.trimEnd();
}

const at = (line: number, a: number, b: number): Range => ({ start: { line, character: a }, end: { line, character: b } });

export class YamlDocument {
  private lines: Line[];
  private anchors = new Map<string, YamlNode>();
  readonly root: YamlNode | undefined;

  constructor(readonly text: string) {
    this.lines = text.split(/\r?\n/).map((raw, n) => {
      const indent = raw.length - raw.trimStart().length;
      return { n, indent, text: stripComment(raw.slice(indent)), raw };
    });
    let i = this.skipBlank(0);
    // A document start marker.
    if (this.lines[i]?.text === '---') i = this.skipBlank(i + 1);
    this.root = i < this.lines.length ? this.block(i, this.lines[i]!.indent).node : undefined;
  }

  private skipBlank(i: number): number {
    while (i < this.lines.length && (this.lines[i]!.text === '' || this.lines[i]!.text.startsWith('%'))) i++;
    return i;
  }

  /** A block node starting at line i with the given indentation; returns the next line index. */
  private block(i: number, indent: number): { node: YamlNode; next: number } {
    const line = this.lines[i]!;
    if (line.text === '-' || line.text.startsWith('- ')) return this.sequence(i, indent);
    if (this.keyOf(line.text)) return this.mapping(i, indent);
    return { node: this.inline(line, line.indent, line.text), next: i + 1 };
  }

  private keyOf(text: string): { key: string; rest: string; keyLen: number; restAt: number } | undefined {
    const m = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{[\]}][^#]*?)\s*:(?:\s+|$)/.exec(text);
    if (!m) return undefined;
    let key = m[1]!;
    if (/^["']/.test(key)) key = key.slice(1, -1);
    return { key, rest: text.slice(m[0].length), keyLen: m[1]!.length, restAt: m[0].length };
  }

  private mapping(i: number, indent: number): { node: YamlNode; next: number } {
    const entries: YamlEntry[] = [];
    const start = i;
    let merged = false;
    while (i < this.lines.length) {
      i = this.skipBlank(i);
      const line = this.lines[i];
      if (!line || line.indent < indent) break;
      if (line.indent > indent) {
        i++;
        continue;
      }
      const k = this.keyOf(line.text);
      if (!k) break;
      const keyRange = at(line.n, line.indent, line.indent + k.keyLen);
      let value: YamlNode;
      const rest = k.rest.trim();
      const restCol = line.indent + k.restAt;
      if (rest === '' || /^[&!][^\s]*$/.test(rest)) {
        const anchor = /^&(\S+)/.exec(rest)?.[1];
        const j = this.skipBlank(i + 1);
        const child = this.lines[j];
        if (child && (child.indent > indent || (child.indent === indent && (child.text === '-' || child.text.startsWith('- '))))) {
          const r = this.block(j, child.indent);
          value = r.node;
          i = r.next;
        } else {
          value = { kind: 'scalar', value: '', quoted: false, range: at(line.n, restCol, restCol) };
          i++;
        }
        if (anchor) this.anchors.set(anchor, value);
      } else if (/^[|>]/.test(rest)) {
        const r = this.blockScalar(i, indent, restCol);
        value = r.node;
        i = r.next;
      } else {
        value = this.inline(line, restCol, k.rest.trim());
        i++;
      }
      if (k.key === '<<') {
        merged = true;
        const sources = value.kind === 'seq' ? value.items : [value];
        for (const s of sources) if (s.kind === 'map') for (const e of s.entries) if (!entries.some((x) => x.key === e.key)) entries.push(e);
        continue;
      }
      const existing = entries.findIndex((e) => e.key === k.key);
      if (existing >= 0) entries.splice(existing, 1);
      entries.push({ key: k.key, keyRange, value, line: line.n });
    }
    const last = this.lines[Math.max(start, i - 1)]!;
    return { node: { kind: 'map', entries, range: { start: { line: this.lines[start]!.n, character: indent }, end: { line: last.n, character: last.raw.length } }, merged }, next: i };
  }

  private sequence(i: number, indent: number): { node: YamlNode; next: number } {
    const items: YamlNode[] = [];
    const start = i;
    while (i < this.lines.length) {
      i = this.skipBlank(i);
      const line = this.lines[i];
      if (!line || line.indent < indent || line.indent > indent) break;
      if (!(line.text === '-' || line.text.startsWith('- '))) break;
      const body = line.text.slice(1).trimStart();
      const bodyCol = line.indent + (line.text.length - body.length);
      if (body === '') {
        const j = this.skipBlank(i + 1);
        const child = this.lines[j];
        if (child && child.indent > indent) {
          const r = this.block(j, child.indent);
          items.push(r.node);
          i = r.next;
        } else {
          items.push({ kind: 'scalar', value: '', quoted: false, range: at(line.n, bodyCol, bodyCol) });
          i++;
        }
      } else if (this.keyOf(body) && !/^["'[{]/.test(body)) {
        // "- key: value" opens a mapping indented at the body column.
        const saved = { ...line };
        this.lines[i] = { ...line, indent: bodyCol, text: body };
        const r = this.mapping(i, bodyCol);
        this.lines[i] = saved;
        items.push(r.node);
        i = r.next;
      } else {
        items.push(this.inline(line, bodyCol, body));
        i++;
      }
    }
    const last = this.lines[Math.max(start, i - 1)]!;
    return { node: { kind: 'seq', items, range: { start: { line: this.lines[start]!.n, character: indent }, end: { line: last.n, character: last.raw.length } } }, next: i };
  }

  private blockScalar(i: number, indent: number, col: number): { node: YamlNode; next: number } {
    const header = this.lines[i]!;
    const folded = header.text.slice(col - header.indent).trim().startsWith('>');
    const parts: string[] = [];
    let j = i + 1;
    let inner = -1;
    while (j < this.lines.length) {
      const l = this.lines[j]!;
      if (l.raw.trim() === '') {
        parts.push('');
        j++;
        continue;
      }
      if (l.indent <= indent) break;
      if (inner < 0) inner = l.indent;
      parts.push(l.raw.slice(inner));
      j++;
    }
    while (parts.length && parts[parts.length - 1] === '') parts.pop();
    const value = folded ? parts.join(' ') : parts.join('\n');
    const end = this.lines[Math.max(i, j - 1)]!;
    return { node: { kind: 'scalar', value, quoted: true, range: { start: { line: header.n, character: col }, end: { line: end.n, character: end.raw.length } } }, next: j };
  }

  /** A value on one line: scalar, alias, or a flow collection. */
  private inline(line: Line, col: number, text: string): YamlNode {
    let t = text;
    let c = col;
    const anchor = /^&(\S+)\s+/.exec(t);
    if (anchor) {
      t = t.slice(anchor[0].length);
      c += anchor[0].length;
    }
    const tag = /^!\S*\s+/.exec(t);
    if (tag) {
      t = t.slice(tag[0].length);
      c += tag[0].length;
    }
    let node: YamlNode;
    if (t.startsWith('*')) {
      const target = this.anchors.get(t.slice(1).trim());
      node = target ?? { kind: 'unknown', range: at(line.n, c, c + t.length) };
    } else if (t.startsWith('[') || t.startsWith('{')) {
      const r = this.flow(line.n, t, 0, c);
      node = r?.node ?? { kind: 'unknown', range: at(line.n, c, c + t.length) };
    } else {
      node = this.scalar(line.n, t, c);
    }
    if (anchor) this.anchors.set(anchor[1]!, node);
    return node;
  }

  private scalar(n: number, t: string, c: number): YamlNode {
    if (t.startsWith('"')) {
      const m = /^"((?:[^"\\]|\\.)*)"/.exec(t);
      if (m) return { kind: 'scalar', value: m[1]!.replace(/\\(.)/g, (_, x: string) => (x === 'n' ? '\n' : x === 't' ? '\t' : x)), quoted: true, range: at(n, c, c + m[0].length) };
    }
    if (t.startsWith("'")) {
      const m = /^'((?:[^']|'')*)'/.exec(t);
      if (m) return { kind: 'scalar', value: m[1]!.replace(/''/g, "'"), quoted: true, range: at(n, c, c + m[0].length) };
    }
    return { kind: 'scalar', value: t.trim(), quoted: false, range: at(n, c, c + t.trimEnd().length) };
  }

  private flow(n: number, s: string, i: number, col: number): { node: YamlNode; end: number } | undefined {
    const open = s[i]!;
    const close = open === '[' ? ']' : '}';
    const start = i;
    i++;
    const items: YamlNode[] = [];
    const entries: YamlEntry[] = [];
    const ws = () => {
      while (i < s.length && /\s/.test(s[i]!)) i++;
    };
    const item = (): YamlNode | undefined => {
      ws();
      if (s[i] === '[' || s[i] === '{') {
        const r = this.flow(n, s, i, col);
        if (!r) return undefined;
        i = r.end;
        return r.node;
      }
      if (s[i] === '"' || s[i] === "'") {
        const node = this.scalar(n, s.slice(i), col + i);
        if (node.kind !== 'scalar') return undefined;
        i += node.range.end.character - node.range.start.character;
        return node;
      }
      const m = /^[^,\]}]*/.exec(s.slice(i))!;
      let text = m[0];
      // In a flow map "key: value" stops at ": ".
      if (open === '{') {
        const colon = text.search(/:(\s|$)/);
        if (colon >= 0) text = text.slice(0, colon);
      }
      const node: YamlNode = { kind: 'scalar', value: text.trim(), quoted: false, range: at(n, col + i + (text.length - text.trimStart().length), col + i + text.trimEnd().length) };
      i += text.length;
      return node;
    };
    for (;;) {
      ws();
      if (i >= s.length) return undefined;
      if (s[i] === close) {
        i++;
        break;
      }
      const first = item();
      if (!first) return undefined;
      ws();
      if (open === '{') {
        if (s[i] !== ':') return undefined;
        i++;
        const value = item();
        if (!value || first.kind !== 'scalar') return undefined;
        entries.push({ key: first.value, keyRange: first.range, value, line: n });
      } else items.push(first);
      ws();
      if (s[i] === ',') i++;
    }
    const range = at(n, col + start, col + i);
    return { node: open === '[' ? { kind: 'seq', items, range } : { kind: 'map', entries, range }, end: i };
  }
}

export function get(node: YamlNode | undefined, key: string): YamlNode | undefined {
  return node?.kind === 'map' ? node.entries.find((e) => e.key === key)?.value : undefined;
}

export function entry(node: YamlNode | undefined, key: string): YamlEntry | undefined {
  return node?.kind === 'map' ? node.entries.find((e) => e.key === key) : undefined;
}

export function scalarText(node: YamlNode | undefined): string | undefined {
  return node?.kind === 'scalar' ? node.value : undefined;
}

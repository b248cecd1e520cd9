// Just enough TOML to read dependency declarations from pyproject.toml and Pipfile with positions:
// tables, dotted and quoted keys, strings (basic, literal, multi-line), arrays over several lines,
// inline tables, and scalars kept as raw text. Anything it cannot read ends that value quietly;
// the caller only misses a dependency, it never invents one.
import type { Range } from '../types';

export type TomlValue =
  | { kind: 'string'; value: string; range: Range }
  | { kind: 'array'; items: TomlValue[]; range: Range }
  | { kind: 'table'; entries: TomlEntry[]; range: Range }
  | { kind: 'other'; raw: string; range: Range };

export interface TomlEntry {
  key: string[];
  value: TomlValue;
  keyRange: Range;
  /** The whole `key = value` text. */
  range: Range;
}

export interface TomlTable {
  /** `["tool", "poetry", "dependencies"]`; [] for the root. */
  name: string[];
  entries: TomlEntry[];
  /** The `[header]` line (line 0 for the root). */
  headerLine: number;
  /** Last line holding an entry of this table (for appending). */
  lastLine: number;
}

class Cursor {
  i = 0;
  line = 0;
  col = 0;
  constructor(readonly s: string) {}
  peek(n = 0): string {
    return this.s[this.i + n] ?? '';
  }
  eof(): boolean {
    return this.i >= this.s.length;
  }
  next(): string {
    const c = this.s[this.i++] ?? '';
    if (c === '\n') {
      this.line++;
      this.col = 0;
    } else this.col++;
    return c;
  }
  pos() {
    return { line: this.line, character: this.col };
  }
  startsWith(t: string): boolean {
    return this.s.startsWith(t, this.i);
  }
  skipInline(): void {
    while (this.peek() === ' ' || this.peek() === '\t' || this.peek() === '\r') this.next();
  }
  /** Whitespace, newlines and comments (inside arrays). */
  skipAll(): void {
    for (;;) {
      this.skipInline();
      if (this.peek() === '\n') this.next();
      else if (this.peek() === '#') while (!this.eof() && this.peek() !== '\n') this.next();
      else break;
    }
  }
  skipLine(): void {
    while (!this.eof() && this.peek() !== '\n') this.next();
    if (!this.eof()) this.next();
  }
}

function readKey(c: Cursor): string[] | undefined {
  const parts: string[] = [];
  for (;;) {
    c.skipInline();
    const ch = c.peek();
    if (ch === '"' || ch === "'") {
      const v = readString(c);
      if (!v) return undefined;
      parts.push(v.value);
    } else {
      let k = '';
      while (/[A-Za-z0-9_-]/.test(c.peek())) k += c.next();
      if (!k) return undefined;
      parts.push(k);
    }
    c.skipInline();
    if (c.peek() === '.') {
      c.next();
      continue;
    }
    return parts;
  }
}

function readString(c: Cursor): { value: string; range: Range } | undefined {
  const start = c.pos();
  const q = c.peek();
  const multi = c.startsWith(q.repeat(3));
  if (multi) {
    c.next();
    c.next();
    c.next();
    if (c.peek() === '\n') c.next();
    let v = '';
    while (!c.eof() && !c.startsWith(q.repeat(3))) {
      if (q === '"' && c.peek() === '\\') {
        c.next();
        v += unescape(c.next());
      } else v += c.next();
    }
    if (c.eof()) return undefined;
    c.next();
    c.next();
    c.next();
    return { value: v, range: { start, end: c.pos() } };
  }
  c.next();
  let v = '';
  while (!c.eof() && c.peek() !== q && c.peek() !== '\n') {
    if (q === '"' && c.peek() === '\\') {
      c.next();
      v += unescape(c.next());
    } else v += c.next();
  }
  if (c.peek() !== q) return undefined;
  c.next();
  return { value: v, range: { start, end: c.pos() } };
}

function unescape(ch: string): string {
  return ch === 'n' ? '\n' : ch === 't' ? '\t' : ch;
}

function readValue(c: Cursor): TomlValue | undefined {
  c.skipInline();
  const start = c.pos();
  const ch = c.peek();
  if (ch === '"' || ch === "'") {
    const s = readString(c);
    return s ? { kind: 'string', ...s } : undefined;
  }
  if (ch === '[') {
    c.next();
    const items: TomlValue[] = [];
    for (;;) {
      c.skipAll();
      if (c.peek() === ']') {
        c.next();
        return { kind: 'array', items, range: { start, end: c.pos() } };
      }
      const v = readValue(c);
      if (!v) return undefined;
      items.push(v);
      c.skipAll();
      if (c.peek() === ',') c.next();
      else if (c.peek() !== ']') return undefined;
    }
  }
  if (ch === '{') {
    c.next();
    const entries: TomlEntry[] = [];
    for (;;) {
      c.skipInline();
      if (c.peek() === '}') {
        c.next();
        return { kind: 'table', entries, range: { start, end: c.pos() } };
      }
      const kStart = c.pos();
      const key = readKey(c);
      if (!key || c.peek() !== '=') return undefined;
      const kEnd = c.pos();
      c.next();
      const v = readValue(c);
      if (!v) return undefined;
      entries.push({ key, value: v, keyRange: { start: kStart, end: kEnd }, range: { start: kStart, end: c.pos() } });
      c.skipInline();
      if (c.peek() === ',') c.next();
      else if (c.peek() !== '}') return undefined;
    }
  }
  let raw = '';
  while (!c.eof() && !/[,\]}\n#]/.test(c.peek())) raw += c.next();
  raw = raw.trim();
  return raw ? { kind: 'other', raw, range: { start, end: c.pos() } } : undefined;
}

/** Tables of a TOML document in order; a table repeated by dotted keys is merged by name. */
export function parseToml(text: string): TomlTable[] {
  const c = new Cursor(text.replace(/^\uFEFF/, ''));
  const tables: TomlTable[] = [{ name: [], entries: [], headerLine: 0, lastLine: 0 }];
  let current = tables[0]!;
  while (!c.eof()) {
    c.skipInline();
    const ch = c.peek();
    if (ch === '\n' || ch === '#' || ch === '') {
      c.skipLine();
      continue;
    }
    if (ch === '[') {
      const line = c.line;
      const isArray = c.startsWith('[[');
      c.next();
      if (isArray) c.next();
      const name = readKey(c);
      c.skipLine();
      current = { name: isArray ? ['[[array]]', ...(name ?? [])] : (name ?? ['?']), entries: [], headerLine: line, lastLine: line };
      tables.push(current);
      continue;
    }
    const kStart = c.pos();
    const key = readKey(c);
    if (!key || c.peek() !== '=') {
      c.skipLine();
      continue;
    }
    const kEnd = c.pos();
    c.next();
    const value = readValue(c);
    if (value) {
      current.entries.push({ key, value, keyRange: { start: kStart, end: kEnd }, range: { start: kStart, end: value.range.end } });
      current.lastLine = value.range.end.line;
    }
    c.skipLine();
  }
  return tables;
}

/** Entries of the table `name`, including dotted keys written in a parent table. */
export function tableEntries(tables: TomlTable[], name: string[]): TomlEntry[] {
  const out: TomlEntry[] = [];
  const eq = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  for (const t of tables) {
    if (eq(t.name, name)) out.push(...t.entries);
    else if (t.name.length < name.length && eq(t.name, name.slice(0, t.name.length))) {
      const rest = name.slice(t.name.length);
      for (const e of t.entries) {
        if (e.key.length > rest.length && eq(e.key.slice(0, rest.length), rest)) out.push({ ...e, key: e.key.slice(rest.length) });
        else if (eq(e.key, rest) && e.value.kind === 'table') out.push(...e.value.entries);
      }
    }
  }
  return out;
}

export function tableValue(tables: TomlTable[], name: string[], key: string): TomlValue | undefined {
  return tableEntries(tables, name).find((e) => e.key.length === 1 && e.key[0] === key)?.value;
}

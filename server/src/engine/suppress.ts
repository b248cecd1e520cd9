// Inline suppressions. `# django-readiness: ignore[DJ-SEC-001, DJ-SEC-014]` on the finding's line or
// alone on the line above; `# django-readiness: ignore-file[DJ-SEC-001]` anywhere in the file;
// Ruff-style `# noqa: DJ-SEC-001` on the line. Ids or rule names; an empty list means every rule.
import { findRule } from './rules/index';
import type { Finding } from './types';
import { matches, memoByText } from './textMemo';

const LINE = /#\s*django-readiness:\s*ignore(?:\[([^\]]*)\])?(?!-)/;
const FILE = /#\s*django-readiness:\s*ignore-file(?:\[([^\]]*)\])?/;
/** A file without these words has no directive. */
const DIRECTIVE_WORDS = /django-readiness|noqa/i;
const NOQA = /#\s*noqa:\s*([A-Z][A-Z0-9-]*(?:\s*,\s*[A-Z][A-Z0-9-]*)*)/i;

/**
 * The comment part of a line: from the first `#` outside a string literal (a `#` inside
 * `"# noqa: X"` is data, not a directive). Triple-quoted strings spanning lines are not tracked:
 * a directive never sits inside one in practice.
 */
function commentOf(line: string): string | undefined {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') return line.slice(i);
  }
  return undefined;
}

function ids(list: string | undefined): Set<string> | 'all' {
  if (list === undefined || list.trim() === '') return 'all';
  const out = new Set<string>();
  for (const raw of list.split(',')) {
    const name = raw.trim();
    if (!name) continue;
    out.add(findRule(name)?.id ?? name.toUpperCase());
  }
  return out;
}

function covers(set: Set<string> | 'all' | undefined, code: string): boolean {
  return set === 'all' || (set !== undefined && set.has(code));
}

export class Suppressions {
  private fileLevel: Set<string> | 'all' | undefined;
  /** The text, when it has directive words; its lines are sliced when a finding asks about one. */
  private readonly text: string | undefined;
  /** Where each line starts (made on the first question). */
  private starts: number[] | undefined;

  /** `file` names the text for the pattern memo (textMemo.matches: re-read only around an edit). */
  constructor(text: string, file?: string) {
    // Most files have no directive at all. A file that has some (a `# noqa` in an edited settings
    // module) is asked about a few lines per analysis, every keystroke: its lines are not split.
    const directives = file === undefined ? DIRECTIVE_WORDS.test(text) : matches(file, text, DIRECTIVE_WORDS);
    this.text = directives ? text : undefined;
    if (!directives || !text.includes('ignore-file')) return;
    for (const line of text.split(/\r?\n/)) {
      const m = FILE.exec(line);
      if (m && /^\s*#/.test(line)) {
        const s = ids(m[1]);
        if (s === 'all' || this.fileLevel === 'all') this.fileLevel = 'all';
        else this.fileLevel = new Set([...(this.fileLevel ?? []), ...s]);
      }
    }
  }

  /** Line `index` as `text.split(/\r?\n/)[index]` gives it. */
  private line(index: number): string | undefined {
    const text = this.text;
    if (text === undefined || index < 0) return undefined;
    if (!this.starts) {
      const starts = [0];
      for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
      this.starts = starts;
    }
    const start = this.starts[index];
    if (start === undefined) return undefined;
    const next = this.starts[index + 1];
    if (next === undefined) return text.slice(start);
    // The line break, and a carriage return before it, are not part of the line.
    return text.slice(start, next - 1 > start && text.charCodeAt(next - 2) === 13 ? next - 2 : next - 1);
  }

  private lineIds(index: number, standaloneOnly: boolean): Set<string> | 'all' | undefined {
    const raw = this.line(index);
    if (raw === undefined) return undefined;
    if (standaloneOnly && !/^\s*#/.test(raw)) return undefined;
    const line = commentOf(raw);
    if (line === undefined) return undefined;
    const m = LINE.exec(line);
    if (m) return ids(m[1]);
    if (!standaloneOnly) {
      const q = NOQA.exec(line);
      if (q) return ids(q[1]);
    }
    return undefined;
  }

  isSuppressed(code: string, line: number): boolean {
    if (covers(this.fileLevel, code)) return true;
    if (covers(this.lineIds(line, false), code)) return true;
    return covers(this.lineIds(line - 1, true), code);
  }
}

/** Drop findings suppressed by comments in their own file. */
export function applySuppressions(findings: Finding[], readText: (file: string) => string | undefined): Finding[] {
  const cache = new Map<string, Suppressions | null>();
  return findings.filter((f) => {
    let s = cache.get(f.file);
    if (s === undefined) {
      const text = readText(f.file);
      // The directives of an unchanged file are read once (this runs on every analysis).
      s = text === undefined ? null : memoByText('suppressions', f.file, text, (t) => new Suppressions(t, f.file));
      cache.set(f.file, s);
    }
    return !s || !s.isSuppressed(f.code, f.range.start.line);
  });
}

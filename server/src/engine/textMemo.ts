// Results of pure functions of a file's text, kept while the file's text is the same string. Rules
// that look at every file of a project (does any module accept uploads? call sentry_sdk.init?) run
// again whenever the settings change, which is every keystroke in a settings module: with this,
// a rerun costs a map lookup per file instead of a scan of the whole project.
const tables = new Map<string, Map<string, { text: string; value: unknown }>>();

export function memoByText<T>(kind: string, file: string, text: string, compute: (text: string) => T): T {
  let table = tables.get(kind);
  if (!table) tables.set(kind, (table = new Map()));
  const hit = table.get(file);
  if (hit && hit.text === text) return hit.value as T;
  const value = compute(text);
  table.set(file, { text, value });
  return value;
}

/**
 * The last edit of each file's text, noted by the incremental parser (documents.ts): a pattern
 * asked about the new text re-reads only the part of it an edit can have changed (`matches`).
 */
interface NotedEdit {
  before: string;
  after: string;
  /** The edit replaced before[start, oldEnd) with after[start, newEnd). */
  start: number;
  oldEnd: number;
  newEnd: number;
}
const lastEdits = new Map<string, NotedEdit>();

export function noteEdit(file: string, before: string, after: string, start: number, oldEnd: number, newEnd: number): void {
  lastEdits.set(file, { before, after, start, oldEnd, newEnd });
}

/** What `matches` knows of a file's text: where one match is (at -1: there is none). */
interface PatternAnswer {
  text: string;
  at: number;
  length: number;
}
/** Per pattern (by source and flags: a regular expression literal in a function is a new object each time), per file. */
const patternTables = new Map<string, Map<string, PatternAnswer>>();
const patternKeys = new WeakMap<RegExp, string>();

/**
 * `re.test(text)`, remembered per file text (`re` must not be global or sticky). After an edit
 * noted by `noteEdit`, a pattern whose matches have a bounded length is looked for only around
 * the edit: a 3,000-line settings module is asked about a dozen patterns on every keystroke.
 */
export function matches(file: string, text: string, re: RegExp): boolean {
  let key = patternKeys.get(re);
  if (key === undefined) patternKeys.set(re, (key = `${re.source}/${re.flags}`));
  let table = patternTables.get(key);
  if (!table) patternTables.set(key, (table = new Map()));
  const known = table.get(file);
  if (known && known.text === text) return known.at >= 0;
  const edit = known ? lastEdits.get(file) : undefined;
  let answer = edit && edit.after === text && edit.before === known!.text ? answerAfterEdit(re, known!, edit) : undefined;
  if (answer) patternCounts.nearEdit++;
  else {
    answer = firstMatch(re, text);
    patternCounts.wholeText++;
  }
  table.set(file, answer);
  return answer.at >= 0;
}

/** How `matches` answered a new text: around the last edit, or by reading all of it (tests, benchmarks). */
export const patternCounts = { nearEdit: 0, wholeText: 0 };

function firstMatch(re: RegExp, text: string): PatternAnswer {
  re.lastIndex = 0;
  const m = re.exec(text);
  return { text, at: m ? m.index : -1, length: m ? m[0].length : 0 };
}

/**
 * The answer for `edit.after` from the one for `edit.before`, or undefined when only a full scan
 * can tell. A match is its characters and, for \b, ^ and $ (with the m flag), the one character on
 * each side: a match clear of the edit by a character is still there (moved by the edit's change
 * in length), and a match that was not there must overlap the edit or touch it, so it lies within
 * the pattern's longest match of it.
 */
function answerAfterEdit(re: RegExp, known: PatternAnswer, edit: NotedEdit): PatternAnswer | undefined {
  const shape = shapeOf(re);
  if (!shape) return undefined;
  const text = edit.after;
  if (known.at >= 0) {
    if (known.at + known.length + 1 <= edit.start) return { text, at: known.at, length: known.length };
    if (known.at - 1 >= edit.oldEnd) return { text, at: known.at + edit.newEnd - edit.oldEnd, length: known.length };
    return undefined;
  }
  const from = reach(text, edit.start - 1, -1, shape);
  const to = reach(text, edit.newEnd + 1, 1, shape);
  // One more character each side, so a match inside [from, to) sees its real neighbours.
  const sliceStart = Math.max(0, from - 1);
  const piece = text.slice(sliceStart, Math.min(text.length, to + 1));
  const scan = globalOf(re);
  scan.lastIndex = 0;
  for (let m = scan.exec(piece); m; m = scan.exec(piece)) {
    const at = sliceStart + m.index;
    if (at >= from && at + m[0].length <= to) return { text, at, length: m[0].length };
    // Rejected (it leans on a character outside the window): try every later start.
    scan.lastIndex = m.index + 1;
  }
  return { text, at: -1, length: 0 };
}

const globalClones = new WeakMap<RegExp, RegExp>();
function globalOf(re: RegExp): RegExp {
  let g = globalClones.get(re);
  if (!g) globalClones.set(re, (g = new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g')));
  return g;
}

/**
 * How long a pattern's matches can be: at most `bound` characters, plus, when `whitespaceRuns`,
 * any number of whitespace characters matched by `\s*` or `\s+` (`\.\s*execute`).
 */
export interface PatternShape {
  bound: number;
  whitespaceRuns: boolean;
}

const WHITESPACE = /\s/;

/**
 * The end of the window around an edit in one direction: from `at`, over at most `bound`
 * characters, and over any whitespace as well when the pattern has whitespace runs (a run is
 * usually a space or two, but may be a line of indentation).
 */
function reach(text: string, at: number, step: 1 | -1, shape: PatternShape): number {
  if (!shape.whitespaceRuns) return Math.max(0, Math.min(text.length, at + step * shape.bound));
  let p = Math.max(0, Math.min(text.length, at));
  let budget = shape.bound;
  for (;;) {
    const next = step < 0 ? p - 1 : p;
    if (next < 0 || next >= text.length) return p;
    if (!WHITESPACE.test(text[next]!)) {
      if (budget === 0) return p;
      budget--;
    }
    p += step;
  }
}

const shapes = new Map<string, PatternShape | null>();

/**
 * The shape of `re`'s matches, or undefined when they are unbounded otherwise than by whitespace
 * runs or the pattern uses what this reading does not follow (lookaround, back-references, ^ and
 * $ without the m flag, which would change meaning in a slice, or the u and v flags).
 */
function shapeOf(re: RegExp): PatternShape | undefined {
  const key = `${re.source}/${re.flags}`;
  let shape = shapes.get(key);
  if (shape === undefined) {
    shape = /[uv]/.test(re.flags) ? null : patternShape(re.source, re.flags.includes('m'));
    shapes.set(key, shape);
  }
  return shape ?? undefined;
}

/** The shape of a pattern's source (see shapeOf); null when unbounded or not followed. */
export function patternShape(source: string, multiline: boolean): PatternShape | null {
  let whitespaceRuns = false;
  const bound = patternBound(source, multiline, () => (whitespaceRuns = true));
  return bound === null ? null : { bound, whitespaceRuns };
}

/** The longest match of a pattern's source, not counting `\s*` and `\s+` runs (reported to `run`). */
function patternBound(source: string, multiline: boolean, run: () => void): number | null {
  let i = 0;
  // alternatives: the longest branch; a sequence: the sum of its items.
  const alternation = (): number | null => {
    let best = 0;
    for (;;) {
      const seq = sequence();
      if (seq === null) return null;
      best = Math.max(best, seq);
      if (source[i] !== '|') return best;
      i++;
    }
  };
  const sequence = (): number | null => {
    let total = 0;
    while (i < source.length && source[i] !== '|' && source[i] !== ')') {
      if (source.startsWith('\\s', i) && (source[i + 2] === '*' || source[i + 2] === '+')) {
        run();
        i += source[i + 3] === '?' ? 4 : 3;
        continue;
      }
      const item = atom();
      if (item === null) return null;
      const times = quantifier();
      if (times === null) return null;
      total += item * times;
    }
    return total;
  };
  const atom = (): number | null => {
    const c = source[i]!;
    if (c === '(') {
      i++;
      if (source[i] === '?') {
        if (source[i + 1] !== ':') return null; // lookaround, named groups
        i += 2;
      }
      const inner = alternation();
      if (inner === null || source[i] !== ')') return null;
      i++;
      return inner;
    }
    if (c === '[') {
      i++;
      if (source[i] === '^') i++;
      if (source[i] === ']') i++;
      while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
      if (i >= source.length) return null;
      i++;
      return 1;
    }
    if (c === '\\') {
      const e = source[i + 1];
      if (e === undefined || /[1-9kpPuxc0]/.test(e)) return null; // back-references, \k, \p, escapes of several characters
      i += 2;
      return e === 'b' || e === 'B' ? 0 : 1;
    }
    if (c === '^' || c === '$') {
      i++;
      return multiline ? 0 : null;
    }
    if (c === '*' || c === '+' || c === '?' || c === '{' || c === ']' || c === '}') return null;
    i++;
    return 1;
  };
  const quantifier = (): number | null => {
    const c = source[i];
    let times = 1;
    if (c === '*' || c === '+') return null;
    if (c === '?') {
      i++;
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
      if (!m) return null;
      if (m[2] !== undefined && m[3] === '') return null;
      times = Number(m[3] ?? m[1]);
      i += m[0].length;
    } else return 1;
    // A lazy quantifier's ? changes nothing about the longest match.
    if (source[i] === '?') i++;
    return times;
  };
  const n = alternation();
  return n === null || i !== source.length ? null : n;
}

/** `matches` used as a pre-check (true when pre-checks are off, see `prefilters`). */
export function mentions(file: string, text: string, re: RegExp): boolean {
  return !prefilters.enabled || matches(file, text, re);
}

/**
 * Text pre-checks (does a module mention anything a rule looks for?) skip the parsing and scanning
 * of files that cannot produce a finding. Turning them off must not change any finding: the
 * prefilter test analyses every fixture both ways and compares.
 */
export const prefilters = { enabled: true };

/** A pre-check on a piece of text: `re.test(text)`, or true when pre-checks are off. */
export function mayMatch(re: RegExp, text: string): boolean {
  return !prefilters.enabled || re.test(text);
}

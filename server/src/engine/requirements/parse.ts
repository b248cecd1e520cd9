// A pip requirements file parser that follows pip's own pipeline (src/pip/_internal/req/req_file.py,
// spec §b): Python `splitlines()`, `\` continuation joining with no separator, comments only at the
// start or after whitespace, `${UPPER}` environment variables, the split of a logical line on the
// single space character into requirement args and options, then PEP 508 for the requirement.
//
// Why not grammars/tree-sitter-requirements.wasm: it does not implement pip's line rules, and the
// rules must agree with pip. Checked against the §b edge cases (test/unit/requirements.test.ts
// keeps the evidence): it rejects the valid `Django >= 4.2 , < 5.0` and `pkg @ https://host/a;b`,
// errors on `--index-url ${PIP_INDEX_URL}` and `pkg==${VER}`, keeps `foo\` + `bar` as two entries
// where pip reads `foobar`, and accepts a tab before `--hash` that pip does not treat as a
// separator. A line parser is also synchronous without a preloaded grammar.
import type { Range } from '../types';
import { parseSpecifierSet, type Specifier } from './pep440';

export interface Pos {
  line: number;
  character: number;
}

/** One pip "physical" line: an editor line, or part of one split at \v, \f, \x1c-\x1e, \x85. */
interface Physical {
  text: string;
  line: number;
  col: number;
}

/** A logical line after joining, comment removal and trimming, with its source map. */
export interface LogicalLine {
  text: string;
  /** Editor line of the first physical line (what pip reports, 0-based here). */
  line: number;
  lastLine: number;
  /** Map an offset of `text` back to the editor. */
  pos(offset: number): Pos;
  range(start: number, end: number): Range;
}

export type ReqErrorKind = 'syntax' | 'single-equals' | 'comment-no-space' | 'trailing-comma' | 'unknown-option' | 'quoted' | 'tab' | 'option-on-requirement' | 'trailing-ws-continuation';

export interface ReqProblem {
  kind: ReqErrorKind;
  message: string;
  range: Range;
  /** Replacement text for `range` that fixes it, when there is an obvious one. */
  fix?: { range: Range; newText: string; title: string };
}

export interface ReqOption {
  name: string;
  value?: string;
  range: Range;
  valueRange?: Range;
  /** Offset of the value in its logical line. */
  valueOffset?: number;
}

export interface Requirement {
  /** Declared name (case and separators as written); undefined for an unnamed URL or path. */
  name?: string;
  /** PEP 503 normalised name. */
  key?: string;
  extras: string[];
  /** The specifier text as written (`>=4.2,<5.0`), '' when none. */
  specText: string;
  specs?: Specifier[];
  /** A `${VAR}` sits in the version position: the version is unknown, not unpinned. */
  opaqueVersion: boolean;
  marker?: string;
  url?: string;
  path?: string;
  /** VCS scheme (`git`, `hg`...) with the ref after `@`, when the URL is a VCS URL. */
  vcs?: { scheme: string; ref?: string };
  /** Version taken from a wheel or sdist filename. */
  fileVersion?: string;
  editable: boolean;
  hashes: { algorithm: string; value: string; range: Range }[];
  options: ReqOption[];
  line: number;
  /** Last editor line of the logical line (continuations). */
  lastLine: number;
  /** The requirement text (name to marker) on its first line. */
  range: Range;
  nameRange?: Range;
  specRange?: Range;
  /** The whole logical line, for deleting or moving it. */
  lineRange: Range;
}

export interface Include {
  kind: 'requirement' | 'constraint';
  target: string;
  range: Range;
  line: number;
}

export interface ParsedRequirements {
  requirements: Requirement[];
  includes: Include[];
  /** Global options (`--index-url`, `--require-hashes`, `--pre`...). */
  options: ReqOption[];
  problems: ReqProblem[];
  lines: LogicalLine[];
}

/** PEP 503: lower case, runs of `-_.` become `-`. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

// ------------------------------------------------------------------ pre-processing

function physicalLines(text: string): Physical[] {
  const out: Physical[] = [];
  let line = 0;
  let lineStart = 0;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let segStart = i;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const editorBreak = c === 10 || c === 13;
    // Python's splitlines() also breaks on these; the editor does not.
    const pyBreak = c === 0x0b || c === 0x0c || (c >= 0x1c && c <= 0x1e) || c === 0x85 || c === 0x2028 || c === 0x2029;
    if (!editorBreak && !pyBreak) continue;
    out.push({ text: text.slice(segStart, i), line, col: segStart - lineStart });
    if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
    segStart = i + 1;
    if (editorBreak) {
      line++;
      lineStart = segStart;
    }
  }
  // A final newline does not open another line (splitlines semantics).
  if (segStart < text.length) out.push({ text: text.slice(segStart), line, col: segStart - lineStart });
  return out;
}

const COMMENT_LINE = /^\s*#/;
const COMMENT = /(^|\s+)#.*$/;

interface Piece {
  /** Offset in the joined string where this piece starts. */
  at: number;
  line: number;
  col: number;
}

function makeLogical(text: string, pieces: Piece[], offset: number): LogicalLine {
  const first = pieces[0]!;
  const last = pieces[pieces.length - 1]!;
  const pos = (o: number): Pos => {
    const abs = o + offset;
    let p = pieces[0]!;
    for (const piece of pieces) if (piece.at <= abs) p = piece;
    return { line: p.line, character: p.col + (abs - p.at) };
  };
  return { text, line: first.line, lastLine: last.line, pos, range: (s, e) => ({ start: pos(s), end: pos(e) }) };
}

/** pip's `preprocess`: join continuations, drop comments and blank lines. */
export function logicalLines(text: string, problems: ReqProblem[] = []): LogicalLine[] {
  const out: LogicalLine[] = [];
  let joined = '';
  let pieces: Piece[] = [];
  const flush = () => {
    const m = COMMENT.exec(joined);
    const body = m ? joined.slice(0, m.index) : joined;
    const lead = body.length - body.trimStart().length;
    const t = body.trim();
    if (t) out.push(makeLogical(t, pieces, lead));
    joined = '';
    pieces = [];
  };
  for (const ph of physicalLines(text)) {
    const isComment = COMMENT_LINE.test(ph.text);
    if (!ph.text.endsWith('\\') || isComment) {
      if (/\\[ \t]+$/.test(ph.text) && !isComment) {
        const idx = ph.text.search(/\\[ \t]+$/);
        problems.push({
          kind: 'trailing-ws-continuation',
          message: 'Whitespace after the line-continuation backslash: pip does not join this line with the next',
          range: { start: { line: ph.line, character: ph.col + idx + 1 }, end: { line: ph.line, character: ph.col + ph.text.length } },
          fix: { range: { start: { line: ph.line, character: ph.col + idx + 1 }, end: { line: ph.line, character: ph.col + ph.text.length } }, newText: '', title: 'Remove the trailing whitespace' },
        });
      }
      if (isComment) {
        // pip prefixes a space so the comment is stripped from the joined line.
        pieces.push({ at: joined.length, line: ph.line, col: ph.col - 1 });
        joined += ' ' + ph.text;
      } else {
        pieces.push({ at: joined.length, line: ph.line, col: ph.col });
        joined += ph.text;
      }
      flush();
    } else {
      // line.strip("\\"): leading and trailing backslashes go.
      const lead = ph.text.length - ph.text.replace(/^\\+/, '').length;
      pieces.push({ at: joined.length, line: ph.line, col: ph.col + lead });
      joined += ph.text.replace(/^\\+|\\+$/g, '');
    }
  }
  if (pieces.length > 0) flush();
  return out;
}

// ------------------------------------------------------------------ options

const VALUE_OPTIONS = new Map<string, string>([
  ['-i', '--index-url'], ['--index-url', '--index-url'], ['--extra-index-url', '--extra-index-url'],
  ['-c', '--constraint'], ['--constraint', '--constraint'], ['-r', '--requirement'], ['--requirement', '--requirement'],
  ['-e', '--editable'], ['--editable', '--editable'], ['-f', '--find-links'], ['--find-links', '--find-links'],
  ['--no-binary', '--no-binary'], ['--only-binary', '--only-binary'], ['--trusted-host', '--trusted-host'],
  ['--use-feature', '--use-feature'], ['--hash', '--hash'], ['--config-settings', '--config-settings'],
  ['--global-option', '--global-option'], ['--install-option', '--install-option'], ['--dry-run', '--dry-run'],
]);
const FLAG_OPTIONS = new Set(['--no-index', '--prefer-binary', '--require-hashes', '--pre']);
const PER_REQUIREMENT = new Set(['--hash', '--config-settings', '--global-option', '--install-option']);

interface Token {
  text: string;
  start: number;
  end: number;
}

/** shlex.split with offsets (quotes removed from the text, offsets of the raw token). */
function shellTokens(s: string, base: number): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    while (i < s.length && /\s/.test(s[i]!)) i++;
    if (i >= s.length) break;
    const start = i;
    let text = '';
    while (i < s.length && !/\s/.test(s[i]!)) {
      const c = s[i]!;
      if (c === '"' || c === "'") {
        const close = s.indexOf(c, i + 1);
        const end = close < 0 ? s.length : close;
        text += s.slice(i + 1, end);
        i = end + 1;
      } else if (c === '\\' && i + 1 < s.length) {
        text += s[i + 1];
        i += 2;
      } else {
        text += c;
        i++;
      }
    }
    out.push({ text, start: base + start, end: base + Math.min(i, s.length) });
  }
  return out;
}

function parseOptions(ll: LogicalLine, s: string, base: number, problems: ReqProblem[]): ReqOption[] {
  const out: ReqOption[] = [];
  const tokens = shellTokens(s, base);
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    let name = t.text;
    let value: string | undefined;
    let valueRange: Range | undefined;
    let valueOffset: number | undefined;
    if (name.startsWith('--') && name.includes('=')) {
      const eq = name.indexOf('=');
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
      valueRange = ll.range(t.start + eq + 1, t.end);
      valueOffset = t.start + eq + 1;
    } else if (/^-[a-zA-Z]./.test(name) && !name.startsWith('--')) {
      value = name.slice(2);
      name = name.slice(0, 2);
      valueRange = ll.range(t.start + 2, t.end);
      valueOffset = t.start + 2;
    }
    const canonical = VALUE_OPTIONS.get(name) ?? (FLAG_OPTIONS.has(name) ? name : undefined);
    if (!canonical || !name.startsWith('-')) {
      problems.push({ kind: 'unknown-option', message: `Unknown option ${JSON.stringify(name)}: pip refuses the whole file (RequirementsFileParseError)`, range: ll.range(t.start, t.end) });
      continue;
    }
    if (VALUE_OPTIONS.has(name) && value === undefined) {
      const next = tokens[i + 1];
      if (next) {
        value = next.text;
        valueRange = ll.range(next.start, next.end);
        valueOffset = next.start;
        i++;
      } else {
        problems.push({ kind: 'syntax', message: `${name} needs a value`, range: ll.range(t.start, t.end) });
        continue;
      }
    }
    out.push({ name: canonical, value, range: ll.range(t.start, tokens[i]!.end), valueRange, valueOffset });
  }
  return out;
}

// ------------------------------------------------------------------ requirement strings

const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?/;
const VCS = /^(git|hg|svn|bzr)\+/i;
const ARCHIVE = /\.(whl|tar\.gz|tgz|tar\.bz2|tbz|tar\.xz|txz|tar|zip)$/i;

function urlInfo(req: Requirement, url: string): void {
  const vcs = VCS.exec(url);
  const noFragment = url.replace(/#.*$/, '');
  if (vcs) {
    const afterScheme = noFragment.replace(/^[a-z+]+:\/\/[^/]*/i, '');
    const at = afterScheme.lastIndexOf('@');
    req.vcs = { scheme: vcs[1]!.toLowerCase(), ref: at >= 0 ? afterScheme.slice(at + 1) || undefined : undefined };
  }
  const egg = /[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(url);
  if (!req.name && egg) {
    req.name = egg[1];
    req.key = normalizeName(egg[1]!);
  }
  const file = noFragment.split('/').pop() ?? '';
  const wheel = /^([A-Za-z0-9_.]+)-([^-]+)-.*\.whl$/i.exec(file);
  const sdist = /^([A-Za-z0-9_.-]+?)-(\d[^-]*?)\.(tar\.gz|tgz|tar\.bz2|tar\.xz|zip|tar)$/i.exec(file);
  const hit = wheel ?? sdist;
  if (hit) {
    req.fileVersion = hit[2];
    if (!req.name) {
      req.name = hit[1];
      req.key = normalizeName(hit[1]!);
    }
  }
}

function looksLikePathOrUrl(s: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(s) || VCS.test(s) || /^(\.|\/|~|[A-Za-z]:[\\/])/.test(s) || s.includes('/') || s.includes('\\') || ARCHIVE.test(s);
}

/**
 * Parses the requirement part of a logical line (`text` starts at `base` in `ll`). Returns the
 * requirement or pushes a problem.
 */
function parseRequirementString(ll: LogicalLine, text: string, base: number, editable: boolean, problems: ReqProblem[]): Requirement | undefined {
  const lineRange = ll.range(0, ll.text.length);
  const req: Requirement = { extras: [], specText: '', opaqueVersion: false, editable, hashes: [], options: [], line: ll.line, lastLine: ll.lastLine, range: ll.range(base, base + text.length), lineRange };
  const problem = (kind: ReqErrorKind, message: string, s: number, e: number, fix?: ReqProblem['fix']) => {
    problems.push({ kind, message, range: ll.range(base + s, base + e), fix });
    return undefined;
  };
  if (/^["']/.test(text)) return problem('quoted', 'Quotes are not allowed around a requirement: pip reads them as part of the name', 0, text.length, { range: ll.range(base, base + text.length), newText: text.replace(/^["']|["']$/g, ''), title: 'Remove the quotes' });

  // name[extras] @ url ; marker (a space before ";" is required after a URL)
  const urlReq = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*@\s*(\S+)(?:\s+;\s*(.*))?$/.exec(text);
  if (urlReq && !/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    req.name = urlReq[1];
    req.key = normalizeName(urlReq[1]!);
    req.nameRange = ll.range(base, base + urlReq[1]!.length);
    if (urlReq[2]) req.extras = urlReq[2].slice(1, -1).split(',').map((e) => e.trim()).filter(Boolean);
    req.url = urlReq[3];
    if (urlReq[4] !== undefined) req.marker = urlReq[4].trim();
    urlInfo(req, req.url!);
    return req;
  }
  if (looksLikePathOrUrl(text)) {
    const semi = text.search(/\s+;\s*/);
    const target = semi >= 0 ? text.slice(0, semi) : text;
    if (semi >= 0) req.marker = text.slice(semi).replace(/^\s+;\s*/, '');
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target) || VCS.test(target)) req.url = target;
    else req.path = target;
    urlInfo(req, target);
    return req;
  }

  const nm = NAME.exec(text);
  if (!nm) return problem('syntax', `Not a valid requirement: ${JSON.stringify(text)}`, 0, text.length);
  req.name = nm[0];
  req.key = normalizeName(nm[0]);
  req.nameRange = ll.range(base, base + nm[0].length);
  let i = nm[0].length;
  const skipWs = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  };
  skipWs();
  if (text[i] === '[') {
    const close = text.indexOf(']', i);
    if (close < 0) return problem('syntax', 'Unbalanced "[" in the extras', i, text.length);
    req.extras = text.slice(i + 1, close).split(',').map((e) => e.trim()).filter(Boolean);
    if (req.extras.some((e) => !NAME.test(e) || NAME.exec(e)![0] !== e)) return problem('syntax', 'Invalid extras', i, close + 1);
    i = close + 1;
    skipWs();
  }
  // Version specifiers up to the marker.
  const specStart = i;
  let specEnd = i;
  const semi = text.indexOf(';', i);
  const specRegion = semi >= 0 ? text.slice(i, semi) : text.slice(i);
  if (specRegion.trim()) {
    let region = specRegion.trimEnd();
    let inner = region;
    let innerOffset = 0;
    if (region.startsWith('(') && region.endsWith(')')) {
      inner = region.slice(1, -1);
      innerOffset = 1;
    }
    if (/^=[^=]/.test(inner.trimStart()) || /^=$/.test(inner.trim())) {
      const eq = i + region.indexOf('=');
      const ver = inner.trim().replace(/^=\s*/, '');
      return problem('single-equals', `"${req.name}${inner.trim()}": a single "=" is not a version operator; pip stops with an error`, eq, i + region.length, {
        range: ll.range(base + nm[0].length, base + i + region.length),
        newText: `==${ver}`,
        title: `Write ${req.name}==${ver}`,
      });
    }
    if (inner.includes('${')) {
      req.opaqueVersion = true;
      req.specText = inner.trim();
      req.specRange = ll.range(base + specStart, base + specStart + region.length);
      specEnd = specStart + region.length;
    } else {
      const hashInVersion = /#/.exec(inner);
      if (hashInVersion) {
        const at = specStart + innerOffset + hashInVersion.index;
        return problem('comment-no-space', 'A "#" needs whitespace before it to start a comment: pip reads it as part of the version', at, at + 1, { range: ll.range(base + at, base + at), newText: ' ', title: 'Insert a space before "#"' });
      }
      if (/\t/.test(inner)) {
        const at = specStart + innerOffset + inner.indexOf('\t');
        return problem('tab', 'A tab does not separate options in a requirements file: pip reads this whole line as one requirement', at, text.length, { range: ll.range(base + at, base + at + 1), newText: ' ', title: 'Replace the tab with a space' });
      }
      if (/,\s*$/.test(inner)) {
        const at = specStart + innerOffset + inner.search(/,\s*$/);
        return problem('trailing-comma', 'Trailing comma in the version specifier', at, at + 1, { range: ll.range(base + at, base + at + 1), newText: '', title: 'Remove the trailing comma' });
      }
      const specs = parseSpecifierSet(inner);
      if (!specs || specs.length === 0) {
        const rest = inner.trim();
        if (/(^|\s)(python_version|python_full_version|os_name|sys_platform|platform_\w+|implementation_\w+|extra)\b/.test(rest)) return problem('syntax', `A marker needs ";" before it: ${JSON.stringify(rest)}`, specStart, specStart + region.length);
        return problem('syntax', `Invalid version specifier ${JSON.stringify(rest)}`, specStart, specStart + region.length);
      }
      req.specs = specs;
      req.specText = inner.trim();
      req.specRange = ll.range(base + specStart, base + specStart + region.length);
      specEnd = specStart + region.length;
    }
  }
  if (!req.specs && !req.opaqueVersion) req.specs = [];
  if (semi >= 0) {
    const marker = text.slice(semi + 1).trim();
    if (!marker) return problem('syntax', 'Empty environment marker after ";"', semi, text.length);
    if ((marker.match(/\(/g) ?? []).length !== (marker.match(/\)/g) ?? []).length || (marker.match(/"/g) ?? []).length % 2 || (marker.match(/'/g) ?? []).length % 2) {
      return problem('syntax', `Invalid environment marker ${JSON.stringify(marker)}`, semi, text.length);
    }
    req.marker = marker;
  } else if (specEnd < text.trimEnd().length && !req.opaqueVersion && text.slice(specEnd).trim()) {
    return problem('syntax', `Unexpected text ${JSON.stringify(text.slice(specEnd).trim())}`, specEnd, text.length);
  }
  return req;
}

// ------------------------------------------------------------------ files

/** Parses one requirements file's text (pip's line rules; includes are returned, not followed). */
export function parseRequirements(text: string): ParsedRequirements {
  const problems: ReqProblem[] = [];
  const lines = logicalLines(text, problems);
  const result: ParsedRequirements = { requirements: [], includes: [], options: [], problems, lines };
  for (const ll of lines) {
    // break_args_options: split on " " only; args end at the first token starting with "-".
    const tokens = ll.text.split(' ');
    let argsLen = 0;
    let k = 0;
    for (; k < tokens.length; k++) {
      if (tokens[k]!.startsWith('-')) break;
      argsLen += tokens[k]!.length + 1;
    }
    const args = tokens.slice(0, k).join(' ');
    const optStart = k < tokens.length ? Math.min(argsLen, ll.text.length) : ll.text.length;
    const optText = ll.text.slice(optStart);
    const options = optText ? parseOptions(ll, optText, optStart, problems) : [];
    if (args.trim()) {
      const req = parseRequirementString(ll, args.trimEnd(), 0, false, problems);
      if (!req) continue;
      for (const o of options) {
        if (o.name === '--hash' && o.value) {
          const [algorithm, value] = o.value.includes(':') ? o.value.split(':', 2) : ['', o.value];
          req.hashes.push({ algorithm: algorithm!.toLowerCase(), value: value!, range: o.range });
        } else if (!PER_REQUIREMENT.has(o.name)) {
          problems.push({ kind: 'option-on-requirement', message: `${o.name} on a requirement line is ignored by pip; put it on its own line`, range: o.range });
        }
        req.options.push(o);
      }
      result.requirements.push(req);
      continue;
    }
    for (const o of options) {
      if (o.name === '--editable' && o.value) {
        const base = o.valueOffset ?? 0;
        const req = parseRequirementString(ll, o.value, base, true, problems);
        if (req) {
          for (const other of options) if (other !== o) req.options.push(other);
          result.requirements.push(req);
        }
      } else if ((o.name === '--requirement' || o.name === '--constraint') && o.value) {
        result.includes.push({ kind: o.name === '--requirement' ? 'requirement' : 'constraint', target: o.value, range: o.valueRange ?? o.range, line: ll.line });
      } else if (o.name === '--hash') {
        problems.push({ kind: 'option-on-requirement', message: '--hash on a line without a requirement is ignored by pip', range: o.range });
      } else {
        result.options.push(o);
      }
    }
  }
  return result;
}

// The Dockerfile model the docker rules share: stages (multi-stage builds; the final stage is what
// runs), ARG substitution in FROM, WORKDIR tracking, COPY sources, every `pip install` and the file
// each `-r` names in the build context, and the commands the container starts with (CMD,
// ENTRYPOINT, `sh -c` strings and the repo scripts they run).
//
// Parser: `dockerfile-ast` (pure TypeScript; the parser behind Docker's own language service and
// dockerfile-utils). It handles multi-stage builds, parser directives, heredocs, JSON and shell
// forms, escape characters and line continuations, never throws on malformed input, and parses a
// typical Dockerfile in well under a millisecond — so it runs synchronously at analysis time.
// No tree-sitter Dockerfile grammar ships on npm, and `tree-sitter-cli` downloads a binary at
// install, which fails offline (issue 5).
import { basename, dirname, join, posix } from 'node:path';
import type { Dockerfile, Flag, From, Instruction, JSONInstruction } from 'dockerfile-ast';
import type { Range } from '../types';
import type { FileSystem } from '../workspace';
import { type SimpleCommand, shellScriptArg, splitCommands } from './shell';

// The parser and the LSP types it brings are loaded on the first Dockerfile, not at start-up
// (about 3 ms of the server's start, before the settings diagnostics).
let parser: typeof import('dockerfile-ast').DockerfileParser | undefined;
function dockerfileParser(): typeof import('dockerfile-ast').DockerfileParser {
  parser ??= (require('dockerfile-ast') as typeof import('dockerfile-ast')).DockerfileParser;
  return parser;
}

export interface Stage {
  index: number;
  name?: string;
  from: From;
  /** The image after substituting global ARG defaults; undefined when an ARG has no default. */
  image?: string;
  /** An earlier stage this one is built FROM. */
  parent?: Stage;
  instructions: Instruction[];
}

export interface StartCommand {
  kind: 'CMD' | 'ENTRYPOINT';
  instr: Instruction;
  argv: string[];
  /** The repo script the words come from, when they were read out of one. */
  script?: string;
  form: 'exec' | 'shell';
}

export interface PipInstall {
  stage: Stage;
  instr: Instruction;
  command: SimpleCommand;
  /** `-r` files: the argument and, when found in the build context, the workspace file. */
  requirementFiles: { arg: string; file?: string }[];
  constraintFiles: { arg: string; file?: string }[];
  /** Positional package arguments (`gunicorn==23.0.0`, `.`). */
  packages: string[];
  flags: string[];
  /** `pip install .` / `-e .`: the project's pyproject/setup dependencies. */
  installsProject: boolean;
  /** The arguments contain `$` or `*` we cannot resolve. */
  opaque: boolean;
}

const HADOLINT = /#\s*hadolint\s+ignore=([A-Z0-9, ]+)/i;

export class DockerfileModel {
  readonly df: Dockerfile;
  readonly stages: Stage[] = [];
  readonly globalArgs = new Map<string, string | undefined>();
  readonly pipInstalls: PipInstall[] = [];
  /** poetry / pipenv / uv installs, by tool. */
  readonly otherInstalls: { tool: string; stage: Stage; instr: Instruction; command: SimpleCommand }[] = [];
  private lines: string[];
  private ignoredEverywhere: Set<string>;

  constructor(
    readonly path: string,
    readonly text: string,
    readonly fs: FileSystem,
    /** The build context (the Dockerfile's folder unless compose says otherwise). */
    readonly context: string,
    readonly dev: boolean,
    projectFiles: string[],
    hadolintIgnored: Set<string>,
  ) {
    this.df = dockerfileParser().parse(text);
    this.lines = text.split(/\r?\n/);
    this.ignoredEverywhere = hadolintIgnored;
    let current: Stage | undefined;
    for (const instr of this.df.getInstructions()) {
      const kw = instr.getKeyword();
      if (kw === 'FROM') {
        const from = instr as From;
        const name = from.getBuildStage() ?? undefined;
        const rawImage = from.getImage() ?? '';
        const image = this.substitute(rawImage);
        const parent = image ? this.stages.find((s) => s.name !== undefined && s.name.toLowerCase() === image.toLowerCase()) : undefined;
        current = { index: this.stages.length, name, from, image, parent, instructions: [] };
        this.stages.push(current);
      } else if (!current) {
        if (kw === 'ARG') {
          for (const p of (instr as unknown as { getProperties(): { getName(): string; getValue(): string | null }[] }).getProperties()) this.globalArgs.set(p.getName(), p.getValue() ?? undefined);
        }
      } else current.instructions.push(instr);
    }
    for (const stage of this.stages) {
      for (const instr of stage.instructions) {
        if (instr.getKeyword() !== 'RUN') continue;
        for (const cmd of this.runCommands(instr)) this.recordInstall(stage, instr, cmd, projectFiles);
      }
    }
  }

  get final(): Stage | undefined {
    return this.stages[this.stages.length - 1];
  }

  /** The stage and the earlier stages it is built FROM, oldest first. */
  lineage(stage: Stage): Stage[] {
    const out: Stage[] = [];
    for (let s: Stage | undefined = stage; s && out.length < 50; s = s.parent) out.unshift(s);
    return out;
  }

  /** Instructions of the stage including those it inherits from earlier stages. */
  inherited(stage: Stage): Instruction[] {
    return this.lineage(stage).flatMap((s) => s.instructions);
  }

  private substitute(image: string): string | undefined {
    let ok = true;
    const out = image.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}?/g, (_m, name: string, def: string | undefined) => {
      const v = this.globalArgs.get(name) ?? def;
      if (v === undefined) ok = false;
      return v ?? '';
    });
    return ok ? out : undefined;
  }

  /** A RUN's simple commands (heredoc bodies included, `sh -c` strings expanded). */
  runCommands(instr: Instruction): SimpleCommand[] {
    const text = this.shellText(instr);
    return expand(splitCommands(text));
  }

  /** The shell text of a RUN/CMD/ENTRYPOINT: exec form joined, heredoc markers dropped. */
  shellText(instr: Instruction): string {
    const json = jsonArgs(instr);
    if (json) return json.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ');
    const content = instr.getArgumentsContent() ?? '';
    // Drop flags (`--mount=...`) and heredoc delimiters; keep heredoc bodies as commands.
    const lines = content.split('\n');
    const heredoc = /<<-?\s*["']?([A-Za-z_][A-Za-z0-9_]*)["']?/.exec(lines[0] ?? '');
    if (heredoc) {
      const first = lines[0]!.replace(heredoc[0], '').trim();
      const body = lines.slice(1).filter((l) => l.trim() !== heredoc[1]);
      return [first, ...body].join('\n');
    }
    return content.replace(/^(\s*--[a-z-]+=\S+\s+)+/, '');
  }

  /** CMD/ENTRYPOINT of the final stage (inherited ones included), each as commands. */
  startCommands(): StartCommand[] {
    const final = this.final;
    if (!final) return [];
    const all = this.inherited(final);
    const out: StartCommand[] = [];
    for (const kind of ['ENTRYPOINT', 'CMD'] as const) {
      const instr = [...all].reverse().find((i) => i.getKeyword() === kind);
      if (!instr) continue;
      const json = jsonArgs(instr);
      const form = json ? 'exec' : 'shell';
      const commands = json ? expand([{ argv: json, assignments: [], text: json.join(' '), offset: 0 }]) : expand(splitCommands(instr.getArgumentsContent() ?? ''));
      for (const c of commands) {
        out.push({ kind, instr, argv: c.argv, form });
        const script = this.scriptFile(c.argv);
        if (script) for (const s of scriptCommands(this.fs.readFile(script) ?? '')) out.push({ kind, instr, argv: s.argv, form, script });
      }
    }
    return out;
  }

  /** A repo script a command runs (`./entrypoint.sh`, `bash scripts/start.sh`), found in the context. */
  scriptFile(argv: string[]): string | undefined {
    let a = argv;
    if (a[0] && /^(sh|bash|ash|dash|exec)$/.test(basename(a[0])) && a[1] && !a[1].startsWith('-')) a = a.slice(1);
    const target = a[0];
    if (!target || !/\.(sh|bash)$|entrypoint|start|run|boot/i.test(basename(target))) return undefined;
    for (const candidate of [join(this.context, target.replace(/^\.\//, '')), join(this.context, basename(target))]) {
      if (this.fs.isFile(candidate)) return candidate;
    }
    return undefined;
  }

  /** The stage's WORKDIR before a given line ('' when none is set). */
  workdirAt(stage: Stage, line: number): string {
    let wd = '';
    for (const instr of this.inherited(stage)) {
      if (stage.instructions.includes(instr) && instr.getRange().start.line >= line) break;
      if (instr.getKeyword() !== 'WORKDIR') continue;
      const arg = (instr.getArgumentsContent() ?? '').trim();
      wd = arg.startsWith('/') ? arg : posix.join(wd || '/', arg);
    }
    return wd;
  }

  /** Copies (no `--from`) before `line` in the stage lineage: sources and absolute destination. */
  copiesBefore(stage: Stage, line: number): { instr: Instruction; sources: string[]; dest: string; keyword: string }[] {
    const out: { instr: Instruction; sources: string[]; dest: string; keyword: string }[] = [];
    for (const instr of this.inherited(stage)) {
      if (stage.instructions.includes(instr) && instr.getRange().start.line >= line) break;
      const kw = instr.getKeyword();
      if (kw !== 'COPY' && kw !== 'ADD') continue;
      if (flags(instr).some((f) => f.getName() === 'from')) continue;
      const args = jsonArgs(instr) ?? instr.getArguments().map((a) => a.getValue());
      if (args.length < 2) continue;
      const dest = args[args.length - 1]!;
      const wd = this.workdirAt(stage, instr.getRange().start.line);
      out.push({ instr, sources: args.slice(0, -1), dest: posix.normalize(dest.startsWith('/') ? dest : posix.join(wd || '/', dest)).replace(/\/+$/, '') || '/', keyword: kw });
    }
    return out;
  }

  /** The context file an in-image path came from, following COPY/ADD and bind mounts. */
  resolveImagePath(stage: Stage, instr: Instruction, arg: string): string | undefined {
    const line = instr.getRange().start.line;
    const wd = this.workdirAt(stage, line);
    const imagePath = arg.startsWith('/') ? posix.normalize(arg) : posix.join(wd || '/', arg);
    const candidates: string[] = [];
    for (const m of flags(instr).filter((f) => f.getName() === 'mount')) {
      const opts = Object.fromEntries((m.getValue() ?? '').split(',').map((kv) => kv.split('=') as [string, string]));
      if (opts.type === 'bind' && opts.target && opts.source && posix.normalize(opts.target) === imagePath) candidates.push(join(this.context, opts.source));
      if (opts.type === 'bind' && opts.target && !opts.source && imagePath.startsWith(posix.normalize(opts.target) + '/')) candidates.push(join(this.context, imagePath.slice(posix.normalize(opts.target).length + 1)));
    }
    for (const copy of this.copiesBefore(stage, line).reverse()) {
      const dest = copy.dest.replace(/\/$/, '') || '/';
      for (const src of copy.sources) {
        const s = src.replace(/^\.\//, '').replace(/\/$/, '');
        if (s === '.' || s === '') {
          if (imagePath.startsWith(dest === '/' ? '/' : dest + '/')) candidates.push(join(this.context, imagePath.slice(dest === '/' ? 1 : dest.length + 1)));
        } else if (/[*?[]/.test(s)) {
          const re = new RegExp('^' + basename(s).replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]') + '$');
          if (re.test(posix.basename(imagePath)) && posix.dirname(imagePath) === dest) candidates.push(join(this.context, dirname(s), posix.basename(imagePath)));
        } else {
          if (imagePath === dest || imagePath === posix.join(dest, basename(s))) candidates.push(join(this.context, s));
          if (imagePath.startsWith(dest + '/')) candidates.push(join(this.context, s, imagePath.slice(dest.length + 1)));
        }
      }
    }
    candidates.push(join(this.context, arg.replace(/^\.\//, '')), join(this.context, posix.basename(arg)));
    return candidates.find((c) => this.fs.isFile(c));
  }

  private recordInstall(stage: Stage, instr: Instruction, cmd: SimpleCommand, _projectFiles: string[]): void {
    const a = cmd.argv;
    let k = -1;
    if (/^pip(\d(\.\d+)?)?$/.test(basename(a[0] ?? '')) && a[1] === 'install') k = 2;
    else if (/^python(\d(\.\d+)?)?$/.test(basename(a[0] ?? '')) && a[1] === '-m' && a[2] === 'pip' && a[3] === 'install') k = 4;
    else if (basename(a[0] ?? '') === 'uv' && a[1] === 'pip' && a[2] === 'install') k = 3;
    if (k < 0) {
      const tool = basename(a[0] ?? '');
      if ((tool === 'poetry' && a[1] === 'install') || (tool === 'pipenv' && (a[1] === 'install' || a[1] === 'sync')) || (tool === 'uv' && a[1] === 'sync') || (tool === 'pdm' && a[1] === 'install')) {
        this.otherInstalls.push({ tool, stage, instr, command: cmd });
      }
      return;
    }
    const install: PipInstall = { stage, instr, command: cmd, requirementFiles: [], constraintFiles: [], packages: [], flags: [], installsProject: false, opaque: false };
    const withValue = new Set(['-r', '--requirement', '-c', '--constraint', '-i', '--index-url', '--extra-index-url', '-f', '--find-links', '-t', '--target', '--prefix', '--root', '--trusted-host', '--platform', '--python-version', '--implementation', '--abi', '--progress-bar', '--src', '--cache-dir', '--log', '--no-binary', '--only-binary', '--config-settings', '-C', '--python', '--upgrade-strategy', '-e', '--editable']);
    for (let i = k; i < a.length; i++) {
      const w = a[i]!;
      if (w.startsWith('-')) {
        const [name, inline] = w.startsWith('--') && w.includes('=') ? [w.slice(0, w.indexOf('=')), w.slice(w.indexOf('=') + 1)] : /^-[rce]./.test(w) ? [w.slice(0, 2), w.slice(2)] : [w, undefined];
        install.flags.push(name!);
        let value = inline;
        if (value === undefined && withValue.has(name!)) value = a[++i];
        if (value === undefined) continue;
        if (value.includes('$')) install.opaque = true;
        if (name === '-r' || name === '--requirement') install.requirementFiles.push({ arg: value, file: value.includes('$') ? undefined : this.resolveImagePath(stage, instr, value) });
        else if (name === '-c' || name === '--constraint') install.constraintFiles.push({ arg: value, file: value.includes('$') ? undefined : this.resolveImagePath(stage, instr, value) });
        else if ((name === '-e' || name === '--editable') && (value === '.' || value.startsWith('./') || value.startsWith('/'))) install.installsProject = true;
        continue;
      }
      if (w.includes('$')) install.opaque = true;
      if (w === '.' || /^\.\/?(\[.*\])?$/.test(w) || /^\/\w+\/?$/.test(w)) install.installsProject = true;
      install.packages.push(w);
    }
    this.pipInstalls.push(install);
  }

  /** Is a hadolint code silenced for the instruction at `line` (pragma above it or .hadolint.yaml)? */
  hadolintIgnores(line: number, code: string | undefined): boolean {
    if (!code) return false;
    if (this.ignoredEverywhere.has(code)) return true;
    for (let l = line - 1; l >= 0; l--) {
      const t = this.lines[l]!.trim();
      if (!t.startsWith('#')) break;
      const m = HADOLINT.exec(t);
      if (m && m[1]!.split(',').map((s) => s.trim().toUpperCase()).includes(code)) return true;
    }
    return false;
  }

  /** Is an in-image path brought in by an earlier COPY/ADD (or a bind mount on the RUN)? */
  covered(stage: Stage, instr: Instruction, arg: string): boolean {
    const line = instr.getRange().start.line;
    const wd = this.workdirAt(stage, line);
    const imagePath = arg.startsWith('/') ? posix.normalize(arg) : posix.join(wd || '/', arg);
    if (flags(instr).some((f) => f.getName() === 'mount' && /type=bind/.test(f.getValue() ?? ''))) return true;
    for (const copy of this.copiesBefore(stage, line)) {
      const dest = copy.dest.replace(/\/$/, '') || '/';
      for (const src of copy.sources) {
        const s = src.replace(/^\.\//, '').replace(/\/$/, '');
        if (s === '.' || s === '' || /[*?[]/.test(s) && posix.dirname(imagePath) === dest) return true;
        if (imagePath === dest || imagePath === posix.join(dest, basename(s)) || imagePath.startsWith(dest + '/')) return true;
      }
    }
    return false;
  }

  /** The text of an instruction's lines (for searching and editing inside it). */
  instructionLines(instr: Instruction): { line: number; text: string }[] {
    const r = instr.getRange();
    const out: { line: number; text: string }[] = [];
    for (let l = r.start.line; l <= r.end.line; l++) out.push({ line: l, text: this.lines[l] ?? '' });
    return out;
  }

  /** Where `needle` (a regex) first matches inside the instruction, as a range. */
  findInInstruction(instr: Instruction, needle: RegExp): Range | undefined {
    for (const { line, text } of this.instructionLines(instr)) {
      const m = needle.exec(text);
      if (m) return { start: { line, character: m.index }, end: { line, character: m.index + m[0].length } };
    }
    return undefined;
  }

  /** The final stage's ENV values (inherited stages included), last one winning. */
  envOf(stage: Stage): Map<string, { value: string; instr: Instruction }> {
    const out = new Map<string, { value: string; instr: Instruction }>();
    for (const instr of this.inherited(stage)) {
      if (instr.getKeyword() !== 'ENV') continue;
      for (const p of (instr as unknown as { getProperties(): { getName(): string; getValue(): string | null }[] }).getProperties()) out.set(p.getName(), { value: p.getValue() ?? '', instr });
    }
    return out;
  }

  lineText(line: number): string {
    return this.lines[line] ?? '';
  }

  /** The range of a whole line, newline included (for deleting it). */
  wholeLines(r: Range): Range {
    return { start: { line: r.start.line, character: 0 }, end: { line: r.end.line + 1, character: 0 } };
  }
}

/** Exec-form words of a CMD/ENTRYPOINT/RUN/COPY, or undefined for shell form (or broken JSON). */
export function jsonArgs(instr: Instruction): string[] | undefined {
  const j = instr as JSONInstruction;
  if (typeof j.getJSONStrings !== 'function') return undefined;
  if (!j.getOpeningBracket() || !j.getClosingBracket()) return undefined;
  const content = (instr.getArgumentsContent() ?? '').replace(/^(\s*--[a-z-]+=\S+\s+)+/, '').trim();
  try {
    const parsed = JSON.parse(content) as unknown;
    return Array.isArray(parsed) && parsed.every((x) => typeof x === 'string') ? (parsed as string[]) : undefined;
  } catch {
    return undefined;
  }
}

export function flags(instr: Instruction): Flag[] {
  const f = (instr as unknown as { getFlags?: () => Flag[] }).getFlags;
  return typeof f === 'function' ? f.call(instr) : [];
}

/** Expands `sh -c "<script>"` into the script's own commands (one level). */
function expand(cmds: SimpleCommand[]): SimpleCommand[] {
  const out: SimpleCommand[] = [];
  for (const c of cmds) {
    const script = shellScriptArg(c.argv);
    if (script) out.push(...splitCommands(script).map((s) => ({ ...s, offset: c.offset })));
    else out.push(c);
  }
  return out;
}

/** Commands of a shell script (shebang and comments dropped). */
export function scriptCommands(text: string): SimpleCommand[] {
  const body = text.replace(/^#!.*\n/, '');
  return expand(splitCommands(body));
}

/** Dockerfile names: `Dockerfile`, `Dockerfile.prod`, `web.dockerfile`, `Containerfile`. */
export function isDockerfileName(name: string): boolean {
  if (/\.dockerignore$/i.test(name)) return false;
  return /^(Dockerfile|Containerfile)([._-].*)?$/i.test(name) || /\.(dockerfile|containerfile)$/i.test(name);
}

/** `Dockerfile.dev`, `dev.Dockerfile`, `Dockerfile.local`, `Dockerfile.test`... */
export function isDevName(name: string): boolean {
  return /(^|[._-])(dev|devel|develop|development|local|test|tests|testing|ci|debug)([._-]|$)/i.test(name);
}

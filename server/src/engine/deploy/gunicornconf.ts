// gunicorn config files (gunicorn.conf.py, gunicorn_conf.py, gunicorn_config.py): module-level
// assignments read from the shared tree-sitter tree. Literals and `int(os.environ.get("X", lit))`
// are understood; anything else is "unknown" and never reported (spec §F).
import { baseName } from '../workspace';
import type { SyntaxNode } from '../parsing/syntax';
import type { ProjectContext } from '../rules/types';
import type { Range } from '../types';
import { models } from './context';
import { appServerOf } from './shell';

export type ConfValue = { kind: 'str' | 'int' | 'bool'; value: string | number | boolean; range: Range; env?: string } | { kind: 'unknown'; range: Range };

export interface GunicornConf {
  path: string;
  values: Map<string, ConfValue>;
  text: string;
  importsOs: boolean;
}

const range = (n: SyntaxNode): Range => ({ start: { line: n.startPosition.row, character: n.startPosition.column }, end: { line: n.endPosition.row, character: n.endPosition.column } });

function evaluate(n: SyntaxNode): ConfValue {
  const r = range(n);
  if (n.type === 'string') {
    const content = n.namedChildren.filter((c) => c?.type === 'string_content').map((c) => c!.text).join('');
    if (n.namedChildren.some((c) => c?.type === 'interpolation')) return { kind: 'unknown', range: r };
    return { kind: 'str', value: content, range: r };
  }
  if (n.type === 'integer') return { kind: 'int', value: Number(n.text), range: r };
  if (n.type === 'true' || n.type === 'false') return { kind: 'bool', value: n.type === 'true', range: r };
  if (n.type === 'list' && n.namedChildren.length === 1 && n.namedChildren[0]?.type === 'string') return evaluate(n.namedChildren[0]);
  if (n.type === 'call') {
    const fn = n.childForFieldName('function')?.text;
    const args = n.childForFieldName('arguments')?.namedChildren.filter((c): c is SyntaxNode => !!c) ?? [];
    if ((fn === 'int' || fn === 'str') && args.length === 1) {
      const inner = evaluate(args[0]!);
      if (inner.kind === 'str' && fn === 'int' && /^\d+$/.test(String(inner.value))) return { kind: 'int', value: Number(inner.value), range: r, env: inner.env };
      return inner.kind === 'unknown' ? inner : { ...inner, range: r };
    }
    if ((fn === 'os.environ.get' || fn === 'os.getenv') && args.length === 2 && args[0]!.type === 'string') {
      const d = evaluate(args[1]!);
      const name = evaluate(args[0]!);
      if (d.kind !== 'unknown' && name.kind === 'str') return { ...d, range: r, env: String(name.value) };
    }
  }
  return { kind: 'unknown', range: r };
}

export function readConf(ctx: ProjectContext, path: string): GunicornConf | undefined {
  const parsed = ctx.sources.get(path);
  if (!parsed) return undefined;
  const values = new Map<string, ConfValue>();
  let importsOs = false;
  for (const stmt of parsed.root.namedChildren) {
    if (!stmt) continue;
    if ((stmt.type === 'import_statement' || stmt.type === 'import_from_statement') && /\bos\b/.test(stmt.text)) importsOs = true;
    if (stmt.type !== 'expression_statement') continue;
    const a = stmt.namedChildren[0];
    if (!a || a.type !== 'assignment') continue;
    const left = a.childForFieldName('left');
    const right = a.childForFieldName('right');
    if (left?.type !== 'identifier' || !right) continue;
    values.set(left.text, evaluate(right));
  }
  return { path, values, text: parsed.text, importsOs };
}

export function isConfName(name: string): boolean {
  return /^gunicorn([._-](conf|config|cfg))?\.py$/.test(name) && name !== 'gunicorn.py';
}

export function confFiles(ctx: ProjectContext): GunicornConf[] {
  return ctx.shared('gunicorn-confs', () => ctx.files.filter((f) => isConfName(baseName(f))).map((f) => readConf(ctx, f)).filter((c): c is GunicornConf => !!c));
}

/** gunicorn command lines production runs (Dockerfile CMD/scripts, compose commands, Procfile). */
export function gunicornCommands(ctx: ProjectContext): string[][] {
  const m = models(ctx);
  const out: string[][] = [];
  for (const d of m.dockerfiles) if (!d.dev) for (const c of d.startCommands()) if (appServerOf(c.argv) === 'gunicorn') out.push(c.argv);
  for (const c of m.compose) {
    if (c.role === 'dev') continue;
    for (const s of c.services) {
      const cmd = s.command?.kind === 'scalar' ? s.command.value.split(/\s+/) : s.command?.kind === 'seq' ? s.command.items.map((i) => (i.kind === 'scalar' ? i.value : '')) : undefined;
      if (cmd && cmd.includes('gunicorn')) out.push(cmd.slice(cmd.indexOf('gunicorn')));
    }
  }
  for (const f of ctx.files.filter((x) => baseName(x) === 'Procfile')) {
    for (const line of (ctx.fs.readFile(f) ?? '').split(/\r?\n/)) {
      const m2 = /^web:\s*(.*)$/.exec(line);
      if (m2 && /gunicorn/.test(m2[1]!)) out.push(m2[1]!.split(/\s+/).slice(m2[1]!.split(/\s+/).indexOf('gunicorn')));
    }
  }
  return out;
}

/** Does WEB_CONCURRENCY (or PORT) get set anywhere the app's environment comes from? */
export function envSetAnywhere(ctx: ProjectContext, name: string): boolean {
  const m = models(ctx);
  if (m.dockerfiles.some((d) => !d.dev && d.final && d.envOf(d.final).has(name))) return true;
  if (m.compose.some((c) => c.role !== 'dev' && c.services.some((s) => s.environment.some((v) => v.key === name)))) return true;
  return m.envFiles.some((e) => !e.example && e.role !== 'dev' && e.entries.some((x) => x.key === name));
}

/** Appending `line` to a config file (after a final newline). */
export function appendLine(conf: GunicornConf, line: string): import('../types').TextEdit {
  const lines = conf.text.split('\n');
  const end = { line: lines.length - 1, character: lines[lines.length - 1]!.length };
  return { file: conf.path, range: { start: end, end }, newText: (conf.text.endsWith('\n') || conf.text === '' ? '' : '\n') + line + '\n' };
}

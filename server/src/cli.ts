// `django-readiness`: the command-line adapter over the engine, for CI and terminals.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { cacheDir, codeCacheHook } from './lsp/codeCache';
import { grammarBuild } from './engine/parsing/grammars';
import { ParseCache } from './engine/parsing/parseCache';
import { Analyzer, type AnalyzerOptions } from './engine/analyzer';
import { parseVersionArg } from './engine/project/djangoVersion';
import { RULES } from './engine/rules/index';
import type { Finding } from './engine/types';
import { buildChecklist } from './engine/checklist/model';
import { checklistJson, checklistMarkdown } from './engine/checklist/report';
import { toSarif } from './sarif';

const USAGE = `Usage: django-readiness check [PATH...] [options]
       django-readiness checklist [PATH...] [--format markdown|json] [--settings ...] [--django-version X.Y]

Reads a Django project's settings (never importing or running them) and reports what stands
between it and production. \`checklist\` prints the production-readiness checklist with its score.

Options:
  --format text|json|sarif   output format (default: text; checklist: markdown|json, default markdown)
  --fix                      apply every preferred safe fix, re-check, and print what changed
  --select IDS               only these rules (comma-separated ids, names or prefixes like DJ-SEC)
  --ignore IDS               skip these rules
  --settings MODULE_OR_FILE  evaluate this settings module as production
  --django-version X.Y       assume this Django version instead of reading requirements
  --no-cache                 parse every module (by default the trees of modules unchanged since
                             the last run are read from the cache: the temp dir, or
                             DJANGO_READINESS_CACHE_DIR; \`off\` there disables it too)
  --stats                    print files discovered, files parsed and time to stderr
  -h, --help                 show this help

Exit status: 0 nothing reported, 1 findings reported, 2 usage or internal error.`;

class UsageError extends Error {}

interface CliArgs {
  command: 'check' | 'checklist';
  paths: string[];
  format: 'text' | 'json' | 'sarif' | 'markdown';
  fix: boolean;
  stats: boolean;
  cache: boolean;
  options: AnalyzerOptions;
}

function parseArgs(argv: string[]): CliArgs | 'help' {
  if (argv.length === 0 || argv[0] === '-h' || argv[0] === '--help') return 'help';
  const [command, ...rest] = argv;
  if (command !== 'check' && command !== 'checklist') throw new UsageError(`unknown command "${command}" (expected "check" or "checklist")`);
  const args: CliArgs = { command, paths: [], format: command === 'checklist' ? 'markdown' : 'text', fix: false, stats: false, cache: true, options: {} };
  const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => {
      if (inline !== undefined) return inline;
      const v = rest[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '-h':
      case '--help':
        return 'help';
      case '--format': {
        const f = value();
        const allowed = command === 'checklist' ? ['markdown', 'json'] : ['text', 'json', 'sarif'];
        if (!allowed.includes(f)) throw new UsageError(`--format must be ${allowed.join(', ').replace(/, (\w+)$/, ' or $1')}, not "${f}"`);
        args.format = f as CliArgs['format'];
        break;
      }
      case '--fix':
        if (command === 'checklist') throw new UsageError('--fix applies to check, not checklist');
        args.fix = true;
        break;
      case '--stats':
        args.stats = true;
        break;
      case '--no-cache':
        args.cache = false;
        break;
      case '--select':
        args.options.select = list(value());
        break;
      case '--ignore':
        args.options.ignore = list(value());
        break;
      case '--settings':
        args.options.settingsOverride = value();
        break;
      case '--django-version': {
        const v = value();
        const parsed = parseVersionArg(v, '--django-version');
        if (!parsed) throw new UsageError(`--django-version expects X.Y, not "${v}"`);
        args.options.djangoVersion = parsed;
        break;
      }
      default:
        if (flag.startsWith('-')) throw new UsageError(`unknown option ${flag}`);
        args.paths.push(a);
    }
  }
  const known = new Set(RULES.flatMap((r) => [r.id, r.name]));
  for (const id of [...(args.options.select ?? []), ...(args.options.ignore ?? [])]) {
    if (!known.has(id) && !RULES.some((r) => r.id.startsWith(id.toUpperCase()))) throw new UsageError(`unknown rule "${id}"`);
  }
  if (args.paths.length === 0) args.paths.push('.');
  return args;
}

function toJson(findings: Finding[], base: string): unknown {
  const rel = (f: string) => relative(base, f).split('\\').join('/');
  return {
    version: 1,
    diagnostics: findings.map((f) => {
      // The fix `--fix` would apply: the first safe one (unsafe fixes are offered in the editor only).
      const fix = f.fixes.find((x) => x.safe);
      return {
        file: rel(f.file),
        code: f.code,
        severity: f.severity,
        message: f.message,
        range: f.range,
        djangoChecks: f.djangoChecks,
        fix: fix ? { title: fix.title, edits: fix.edits.map((e) => ({ file: rel(e.file), range: e.range, newText: e.newText })) } : null,
      };
    }),
  };
}

/** The parse cache of a workspace root, unless disabled or there is no private folder for it. */
function parseCacheFor(args: CliArgs, root: string): ParseCache | undefined {
  if (!args.cache) return undefined;
  const dir = cacheDir();
  if (!dir) return undefined;
  try {
    return ParseCache.open(dir, root, grammarBuild('python'));
  } catch {
    return undefined;
  }
}

async function run(argv: string[]): Promise<number> {
  let args: CliArgs | 'help';
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`django-readiness: ${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
  if (args === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  const cwd = process.cwd();
  if (args.command === 'checklist') return runChecklist(args, cwd);
  const all: Finding[] = [];
  const fixedFiles: string[] = [];
  const started = performance.now();
  const stats = { filesDiscovered: 0, filesParsed: 0, parsedByWorker: 0, waitedForWorkerMs: 0, codeCache: codeCacheHook()?.state ?? 'not used', parseCache: args.cache ? { hits: 0, misses: 0, refused: 0 } : 'off' };
  for (const p of args.paths) {
    const root = isAbsolute(p) ? p : resolve(cwd, p);
    const parseCache = parseCacheFor(args, root);
    const analyzer = await Analyzer.create(root, { ...args.options, oneShot: true, parseCache });
    try {
      if (args.options.settingsOverride && analyzer.projects().every((proj) => !proj.production)) {
        throw new UsageError(`--settings ${args.options.settingsOverride}: no such settings module or file under ${p}`);
      }
      if (args.fix) {
        const changed = analyzer.fixAll();
        for (const [file, text] of changed) {
          mkdirSync(dirname(file), { recursive: true });
          writeFileSync(file, text);
          fixedFiles.push(file);
        }
      }
      all.push(...analyzer.analyze().findings);
      stats.filesDiscovered += analyzer.workspaceFiles().length;
      stats.filesParsed += analyzer.sources.parsedCount;
      stats.parsedByWorker += analyzer.parseAheadCounts?.fromWorker ?? 0;
      stats.waitedForWorkerMs += analyzer.parseAheadCounts?.waitedMs ?? 0;
      if (parseCache && typeof stats.parseCache === 'object') {
        stats.parseCache.hits += parseCache.counts.hits;
        stats.parseCache.misses += parseCache.counts.misses;
        stats.parseCache.refused += parseCache.counts.refused;
      }
    } finally {
      analyzer.dispose();
      parseCache?.close();
    }
  }
  if (args.stats) process.stderr.write(JSON.stringify({ ...stats, findings: all.length, ms: Math.round(performance.now() - started) }) + '\n');
  if (args.format === 'json') {
    process.stdout.write(JSON.stringify(toJson(all, cwd), null, 2) + '\n');
  } else if (args.format === 'sarif') {
    process.stdout.write(JSON.stringify(toSarif(all, cwd), null, 2) + '\n');
  } else {
    for (const file of fixedFiles) process.stdout.write(`fixed ${relative(cwd, file)}\n`);
    for (const f of all) {
      const checks = f.djangoChecks.length ? ` [${f.djangoChecks.join(', ')}]` : '';
      process.stdout.write(`${relative(cwd, f.file)}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.code} ${f.message}${checks}\n`);
    }
    const counts = (['error', 'warning', 'information', 'hint'] as const).map((s) => [s, all.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
    const fixable = all.filter((f) => f.fixes.some((x) => x.safe)).length;
    const summary =
      all.length === 0
        ? 'No problems found.'
        : `Found ${all.length} problem${all.length === 1 ? '' : 's'} (${counts.map(([s, n]) => `${n} ${s}`).join(', ')}).` + (fixable ? ` ${fixable} fixable with --fix.` : '');
    process.stdout.write((fixedFiles.length ? `Fixed ${fixedFiles.length} file${fixedFiles.length === 1 ? '' : 's'}. ` : '') + summary + '\n');
  }
  return all.length > 0 ? 1 : 0;
}

async function runChecklist(args: CliArgs, cwd: string): Promise<number> {
  const lists: unknown[] = [];
  const texts: string[] = [];
  for (const p of args.paths) {
    const root = isAbsolute(p) ? p : resolve(cwd, p);
    const parseCache = parseCacheFor(args, root);
    const analyzer = await Analyzer.create(root, { ...args.options, oneShot: true, parseCache });
    try {
      const result = analyzer.analyze();
      if (result.projects.length === 0) throw new UsageError(`no Django project under ${p} (no manage.py or settings module)`);
      for (const project of result.projects) {
        const list = buildChecklist(analyzer.fs, project, result, analyzer.workspaceFiles());
        if (args.format === 'json') lists.push(checklistJson(list, cwd));
        else texts.push(checklistMarkdown(list, cwd));
      }
    } finally {
      analyzer.dispose();
      parseCache?.close();
    }
  }
  if (args.format === 'json') process.stdout.write(JSON.stringify(lists.length === 1 ? lists[0] : { version: 1, projects: lists }, null, 2) + '\n');
  else process.stdout.write(texts.join('\n') + '\n');
  return 0;
}

/**
 * Ends the process once everything written to stdout and stderr has been handed to the system (a
 * write's callback comes after those before it). Left to end by itself, Node tears down the
 * analysis' heap first: 30-40 ms after a large workspace's output, for nothing.
 */
function exitAfterOutput(code: number): void {
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // The next run compiles the bundle from V8's cache (lsp/codeCache.ts), complete once a run
    // has analysed a project and so compiled the functions an analysis needs.
    codeCacheHook()?.save(code !== 2);
    exitAfterOutput(code);
  },
  (err) => {
    if (err instanceof UsageError) {
      process.stderr.write(`django-readiness: ${err.message}\n`);
    } else {
      process.stderr.write(`django-readiness: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    }
    process.exitCode = 2;
  },
);

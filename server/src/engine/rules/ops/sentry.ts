// Finding `sentry_sdk.init(...)` calls in the project (spec DJ-OPS-007/008).
import type { SyntaxNode } from '../../parsing/syntax';
import { type OpsContext, callsIn, underDebugOnly } from './support';
import { prefilters } from '../../textMemo';
import { perStatement } from '../../parsing/perStatement';

export interface SentryInit {
  file: string;
  call: SyntaxNode;
  /** The file is one of the settings modules production evaluates. */
  inSettings: boolean;
}

/** Names `sentry_sdk.init` goes by in a statement (`import sentry_sdk as s`, `from sentry_sdk import init`). */
function initNamesIn(stmt: SyntaxNode): string[] {
  const names: string[] = [];
  const imports = IMPORT_TYPES.includes(stmt.type) ? [stmt, ...stmt.descendantsOfType(IMPORT_TYPES)] : stmt.descendantsOfType(IMPORT_TYPES);
  for (const node of imports) {
    if (!node) continue;
    const text = node.text.replace(/\s+/g, ' ');
    const alias = /^import sentry_sdk as (\w+)$/.exec(text);
    if (alias) names.push(`${alias[1]}.init`);
    const from = /^from sentry_sdk import (.+)$/.exec(text);
    if (from) {
      for (const part of from[1]!.replace(/[()]/g, '').split(',')) {
        const m = /^\s*init(?:\s+as\s+(\w+))?\s*$/.exec(part);
        if (m) names.push(m[1] ?? 'init');
      }
    }
  }
  return names;
}

const IMPORT_TYPES = ['import_statement', 'import_from_statement'];

/** The calls of a statement that could be an init (a plain or dotted callee), with their callee. */
function callsWithCalleeIn(stmt: SyntaxNode): { call: SyntaxNode; callee: string }[] {
  return callsIn(stmt, () => true).map((call) => ({ call, callee: call.childForFieldName('function')!.text.replace(/\s+/g, '') }));
}

/**
 * Every `sentry_sdk.init` call in the project's Python files that can run in production: not in a
 * dev/test settings module, not in tests, not under `if DEBUG:`.
 */
export function sentryInits(ctx: OpsContext): SentryInit[] {
  return ctx.shared('ops:sentry-inits', () => findInits(ctx));
}

/** Files that may call `sentry_sdk.init`: kept across analyses, they change with what the files mention. */
function candidateFiles(ctx: OpsContext): string[] {
  return ctx.shared(
    'ops:sentry-files',
    () => ctx.files.filter((file) => file.endsWith('.py') && !TEST_PATH.test(file) && (!prefilters.enabled || ctx.mentions(file, /sentry_sdk/))),
    { persist: true },
  );
}

/** Test folders and modules, `tests.py` (the test module `startapp` creates) included. */
const TEST_PATH = /(^|\/)(tests?|tests?\.py|test_[^/]*\.py|[^/]*_tests?\.py|conftest\.py)(\/|$)/;

/**
 * The init calls of a module that are not under `if DEBUG:`. Imports and calls are looked for per
 * top-level statement (perStatement): a keystroke in a settings module that imports sentry_sdk
 * reads again only the statements it touched.
 */
function initCalls(file: string, root: SyntaxNode): SyntaxNode[] {
  const names = new Set(['sentry_sdk.init', ...perStatement('sentry:init-names', file, root, initNamesIn)]);
  return perStatement('sentry:calls', file, root, callsWithCalleeIn)
    .filter((c) => names.has(c.callee) && !underDebugOnly(c.call))
    .map((c) => c.call);
}

function findInits(ctx: OpsContext): SentryInit[] {
  const devModules = new Set(ctx.project.settingsModules.filter((m) => m.role === 'dev' || m.role === 'test').map((m) => m.path));
  const settingsFiles = new Set(ctx.profile.filesRead);
  const out: SentryInit[] = [];
  for (const file of candidateFiles(ctx)) {
    if (devModules.has(file)) continue;
    // Imports and calls are statements: a comment typed in the module changes nothing here.
    const parsed = ctx.sources.code(file);
    if (!parsed) continue;
    for (const call of initCalls(file, parsed.root)) out.push({ file, call, inSettings: settingsFiles.has(file) });
  }
  return out;
}

// Finding `sentry_sdk.init(...)` calls in the project (spec DJ-OPS-007/008).
import type { SyntaxNode } from '../../parsing/syntax';
import { type OpsContext, callsIn, underDebugOnly } from './support';
import { prefilters } from '../../textMemo';

export interface SentryInit {
  file: string;
  call: SyntaxNode;
  /** The file is one of the settings modules production evaluates. */
  inSettings: boolean;
}

/** Names `sentry_sdk.init` goes by in a module (`import sentry_sdk as s`, `from sentry_sdk import init`). */
function initNames(root: SyntaxNode): Set<string> {
  const names = new Set(['sentry_sdk.init']);
  for (const stmt of root.descendantsOfType(['import_statement', 'import_from_statement'])) {
    if (!stmt) continue;
    const text = stmt.text.replace(/\s+/g, ' ');
    const alias = /^import sentry_sdk as (\w+)$/.exec(text);
    if (alias) names.add(`${alias[1]}.init`);
    const from = /^from sentry_sdk import (.+)$/.exec(text);
    if (from) {
      for (const part of from[1]!.replace(/[()]/g, '').split(',')) {
        const m = /^\s*init(?:\s+as\s+(\w+))?\s*$/.exec(part);
        if (m) names.add(m[1] ?? 'init');
      }
    }
  }
  return names;
}

/**
 * Every `sentry_sdk.init` call in the project's Python files that can run in production: not in a
 * dev/test settings module, not in tests, not under `if DEBUG:`.
 */
export function sentryInits(ctx: OpsContext): SentryInit[] {
  return ctx.shared('ops:sentry-inits', () => findInits(ctx));
}

function findInits(ctx: OpsContext): SentryInit[] {
  const devModules = new Set(ctx.project.settingsModules.filter((m) => m.role === 'dev' || m.role === 'test').map((m) => m.path));
  const settingsFiles = new Set(ctx.profile.filesRead);
  const out: SentryInit[] = [];
  for (const file of ctx.files) {
    if (!file.endsWith('.py') || devModules.has(file) || /(^|\/)(tests?|test_[^/]*\.py|[^/]*_tests?\.py|conftest\.py)(\/|$)/.test(file)) continue;
    if (prefilters.enabled && !ctx.mentions(file, /sentry_sdk/)) continue;
    const parsed = ctx.sources.get(file);
    if (!parsed) continue;
    const names = initNames(parsed.root);
    for (const call of callsIn(parsed.root, (c) => names.has(c))) {
      if (!underDebugOnly(call)) out.push({ file, call, inSettings: settingsFiles.has(file) });
    }
  }
  return out;
}

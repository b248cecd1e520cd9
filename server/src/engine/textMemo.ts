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

/** The memo kind of each pattern (a few patterns, asked about thousands of files). */
const patternKinds = new WeakMap<RegExp, string>();

/** `re.test(text)`, remembered per file text (`re` must not be global or sticky). */
export function matches(file: string, text: string, re: RegExp): boolean {
  let kind = patternKinds.get(re);
  if (kind === undefined) patternKinds.set(re, (kind = `re:${re.source}:${re.flags}`));
  return memoByText(kind, file, text, (t) => re.test(t));
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

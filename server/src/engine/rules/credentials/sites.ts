// Where a settings file binds a name to a value, found syntactically so class attributes, dict keys
// and keyword arguments count as well as module-level assignments (spec DJ-SEC-009 "assignment (module
// level, class attribute, dict key, keyword argument)"). Function bodies are skipped: a helper's
// parameter defaults are not settings.
import type { SyntaxNode } from '../../parsing/syntax';
import { plainStringValue, stringPrefix } from '../../settings/literals';
import { nodeLocation } from '../../parsing/locations';
import { perStatement } from '../../parsing/perStatement';
import type { Location } from '../../types';
import { mayMatch } from '../../textMemo';

export interface CredentialSite {
  /** The bound name: variable, dict key or keyword. */
  name: string;
  /** For a dict key, the setting the dict is assigned to (DATABASES, CACHES...). */
  parent?: string;
  kind: 'assignment' | 'dict-key' | 'keyword';
  /** The literal text that ends up in the value (the literal, or an env read's default). */
  literal: string;
  /** The literal's node location (what a finding underlines). */
  literalAt: Location;
  /** The whole value expression (what a fix replaces). */
  valueAt: Location;
  /** True when the literal is the default of an environment read. */
  fallback: boolean;
  /** Name of the variable the env read asks for, when `fallback`. */
  envName?: string;
}

const loc = nodeLocation;

/** The text of a plain (non-f, non-bytes) string literal or concatenation of them. */
export function literalText(n: SyntaxNode): string | undefined {
  if (n.type === 'string') {
    const prefix = stringPrefix(n);
    if (prefix.includes('f') || prefix.includes('b')) return undefined;
    return plainStringValue(n);
  }
  if (n.type === 'concatenated_string') {
    let out = '';
    for (const part of n.namedChildren) {
      if (!part) continue;
      const t = literalText(part);
      if (t === undefined) return undefined;
      out += t;
    }
    return out;
  }
  if (n.type === 'parenthesized_expression' && n.namedChildren.length === 1 && n.namedChildren[0]) return literalText(n.namedChildren[0]);
  return undefined;
}

const ENV_CALL = /(^|\.)(getenv|get|env|config|str|getenv_or_default)$/;

/** `os.getenv("X", "lit")`, `env("X", default="lit")`, `config("X", default="lit")`: name and default. */
export function envDefault(n: SyntaxNode): { envName: string; literal: string; node: SyntaxNode } | undefined {
  if (n.type !== 'call') return undefined;
  const fn = n.childForFieldName('function')?.text ?? '';
  if (!ENV_CALL.test(fn) || (fn.endsWith('.get') && !/environ\.get$/.test(fn))) return undefined;
  const args = n.childForFieldName('arguments')?.namedChildren.filter((a): a is SyntaxNode => !!a && a.type !== 'comment') ?? [];
  const first = args[0] ? literalText(args[0]) : undefined;
  if (!first || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(first)) return undefined;
  let def: SyntaxNode | undefined = args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'default')?.childForFieldName('value') ?? undefined;
  if (!def && args[1] && args[1].type !== 'keyword_argument') def = args[1];
  if (!def) return undefined;
  const literal = literalText(def);
  return literal === undefined ? undefined : { envName: first, literal, node: def };
}

/** Inside a function or lambda body (whose parameter defaults and locals are not settings). */
function inFunction(n: SyntaxNode): boolean {
  for (let p = n.parent; p; p = p.parent) if (p.type === 'function_definition' || p.type === 'lambda') return true;
  return false;
}

/** The setting a dict display is assigned to (`DATABASES = {...}`), looking up through nesting. */
function enclosingSetting(n: SyntaxNode): string | undefined {
  for (let p = n.parent; p; p = p.parent) {
    if (p.type === 'assignment') {
      const left = p.childForFieldName('left');
      return left?.type === 'identifier' ? left.text : undefined;
    }
  }
  return undefined;
}

export function credentialSites(file: string, root: SyntaxNode): readonly CredentialSite[] {
  // Text pre-check per statement: a credential rule wants the sites whose name says PASSWORD,
  // SECRET, TOKEN, KEY... (always in the statement's text) or whose literal looks like a token.
  return perStatement('credential-sites', file, root, (stmt) => {
    const text = stmt.text;
    return mayMatch(CREDENTIAL_WORDS, text) || mayMatch(TOKEN_HINTS, text) ? sitesIn(file, stmt) : [];
  });
}

function sitesIn(file: string, root: SyntaxNode): CredentialSite[] {
  const out: CredentialSite[] = [];
  const add = (name: string, kind: CredentialSite['kind'], value: SyntaxNode, parent?: string) => {
    const lit = literalText(value);
    if (lit !== undefined) {
      out.push({ name, parent, kind, literal: lit, literalAt: loc(file, value), valueAt: loc(file, value), fallback: false });
      return;
    }
    const env = envDefault(value);
    if (env) out.push({ name, parent, kind, literal: env.literal, literalAt: loc(file, env.node), valueAt: loc(file, value), fallback: true, envName: env.envName });
  };
  const types = ['assignment', 'pair', 'keyword_argument'];
  for (const n of [...(types.includes(root.type) ? [root] : []), ...root.descendantsOfType(types)]) {
    if (!n || inFunction(n)) continue;
    if (n.type === 'assignment') {
      const left = n.childForFieldName('left');
      const right = n.childForFieldName('right');
      if (!right || right.type === 'assignment') continue;
      if (left?.type === 'identifier') add(left.text, 'assignment', right);
      else if (left?.type === 'subscript') {
        const key = left.childForFieldName('subscript');
        const keyText = key ? literalText(key) : undefined;
        let base: SyntaxNode | null = left;
        while (base?.type === 'subscript') base = base.childForFieldName('value');
        if (keyText) add(keyText, 'dict-key', right, base?.type === 'identifier' ? base.text : undefined);
      }
    } else if (n.type === 'pair') {
      const key = n.childForFieldName('key');
      const value = n.childForFieldName('value');
      const keyText = key ? literalText(key) : undefined;
      if (keyText && value) add(keyText, 'dict-key', value, enclosingSetting(n));
    } else {
      const name = n.childForFieldName('name')?.text;
      const value = n.childForFieldName('value');
      // `default=` of an env read is the env read's business, not a credential site of its own.
      if (name && value && name !== 'default') add(name, 'keyword', value);
    }
  }
  return out;
}

/** Every plain string literal outside function bodies, with its location. */
export function stringLiterals(file: string, root: SyntaxNode): readonly { text: string; at: Location; node: SyntaxNode }[] {
  // Only statements with something token-shaped have a literal worth decoding.
  return perStatement('string-literals', file, root, (stmt) => (mayMatch(TOKEN_HINTS, stmt.text) ? literalsIn(file, stmt) : []));
}

function literalsIn(file: string, root: SyntaxNode): { text: string; at: Location; node: SyntaxNode }[] {
  const out: { text: string; at: Location; node: SyntaxNode }[] = [];
  for (const n of [...(root.type === 'string' ? [root] : []), ...root.descendantsOfType('string')]) {
    if (!n || inFunction(n)) continue;
    const t = literalText(n);
    if (t !== undefined) out.push({ text: t, at: loc(file, n), node: n });
  }
  return out;
}

const CREDENTIAL_WORDS = /PASS|PWD|SECRET|TOKEN|KEY|DSN|CREDENTIAL/i;
/** Anything a token pattern of patterns.ts could match starts with one of these. */
const TOKEN_HINTS = /AKIA|ASIA|_live_|_test_|rzp_|xox[baprs]-|gh[pousr]_|github_pat_|AIza|SG\.|\bSK[0-9a-fA-F]{32}|key-|PRIVATE KEY|eyJ|:\/\/[^\s"'/]*@/;

/** Sites and literals of a settings file, computed once per analysis for all credential rules. */
export function sitesOf(ctx: { shared<T>(key: string, compute: () => T): T; sources: { code(path: string): { root: SyntaxNode; text: string } | undefined } }, file: string): { sites: readonly CredentialSite[]; literals: readonly { text: string; at: Location; node: SyntaxNode }[] } | undefined {
  return ctx.shared(`credential-sites:${file}`, () => {
    // Assignments and string literals are statements' content: the code is enough (PythonSources.code).
    const parsed = ctx.sources.code(file);
    if (!parsed) return undefined;
    const sites = credentialSites(file, parsed.root);
    const literals = stringLiterals(file, parsed.root);
    return { sites, literals };
  });
}

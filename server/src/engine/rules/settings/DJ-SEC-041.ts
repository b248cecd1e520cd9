import { LiteralEditor, replaceStringContent } from '../../fixes/literalEdit';
import type { Setting } from '../../settings/profile';
import { isSequence, type Value } from '../../settings/value';
import type { Fix } from '../../types';
import { corsSetting, corsUsed } from '../apiSettings';
import { whenUnset } from '../helpers';
import type { SettingsContext, SettingsRule } from '../types';

const LOCAL = /^(localhost|127\.0\.0\.1|\[::1\]|0\.0\.0\.0)(:\d+)?$/i;

export const rule: SettingsRule = {
  id: 'DJ-SEC-041',
  name: 'cors-origins',
  family: 'settings',
  summary: 'A CORS allowed origin is malformed, or an origin regex matches more sites than intended',
  defaultSeverity: 'error',
  djangoChecks: ['corsheaders.E013', 'corsheaders.E014'],
  docs: `django-cors-headers compares the browser's \`Origin\` header (\`scheme://host[:port]\`) with each entry of
\`CORS_ALLOWED_ORIGINS\` exactly. An entry without a scheme (\`"example.com"\`, or \`"*"\`, which is not a
wildcard here) is rejected by its check \`corsheaders.E013\`; an entry with a path, even a trailing
slash, by \`corsheaders.E014\`; neither ever matches. \`CORS_ALLOWED_ORIGIN_REGEXES\` entries are matched
from the start with \`re.match\`: a pattern without \`$\` also matches \`https://example.com.attacker.net\`,
an unescaped dot matches any character (\`api.example.com\` matches \`apixexample.com\`), and \`.*\` before
the domain matches \`https://attackerexample.com\`; each lets a site you do not own read your API.
\`"null"\` is sent by sandboxed iframes and local files of any site (warning); plain \`http://\` origins
can be impersonated on the network (information).

Before:
\`\`\`python
CORS_ALLOWED_ORIGINS = ["app.example.com", "https://www.example.com/"]
CORS_ALLOWED_ORIGIN_REGEXES = [r"^https://.*.example.com"]
\`\`\`
After:
\`\`\`python
CORS_ALLOWED_ORIGINS = ["https://app.example.com", "https://www.example.com"]
CORS_ALLOWED_ORIGIN_REGEXES = [r"^https://.*\\.example\\.com$"]
\`\`\``,
  check(ctx) {
    if (!corsUsed(ctx)) return;
    const origins = corsSetting(ctx, 'CORS_ALLOWED_ORIGINS', 'CORS_ORIGIN_WHITELIST');
    if (isSequence(origins.value)) {
      for (const item of origins.value.items) if (item.kind === 'str') checkOrigin(ctx, origins, item, item.value);
    }
    const regexes = corsSetting(ctx, 'CORS_ALLOWED_ORIGIN_REGEXES', 'CORS_ORIGIN_REGEX_WHITELIST');
    if (isSequence(regexes.value)) {
      for (const item of regexes.value.items) if (item.kind === 'str') checkRegex(ctx, regexes, item, item.value);
    }
  },
};

function rewrite(ctx: SettingsContext, item: Value, value: string, title: string): Fix[] {
  if (item.env) return [];
  const lit = new LiteralEditor(ctx.edit);
  const at = lit.nodeOf(item, ['string']);
  if (!at) return [];
  const edit = replaceStringContent(at.file, at.node, value, lit.style(at.file));
  return edit ? [{ title, edits: [edit], safe: true }] : [];
}

function checkOrigin(ctx: SettingsContext, s: Setting, item: Value, origin: string): void {
  const at = item.src ?? s.binding?.rhs;
  const where = `${JSON.stringify(origin)} in ${s.name}${whenUnset(item.env ? item : s.value)}`;
  if (origin === 'null' || origin === 'file://') {
    ctx.report({ setting: s, at, severity: 'warning', message: `${where}: sandboxed iframes and local files send this origin, whatever site they come from` });
    return;
  }
  const url = urlsplit(origin);
  if (!url.scheme || !url.netloc) {
    const host = /^[A-Za-z0-9.-]+(:\d+)?$/.test(origin) || /^\[[0-9a-fA-F:]+\](:\d+)?$/.test(origin) ? origin : undefined;
    const fixed = host ? `${LOCAL.test(host) ? 'http' : 'https'}://${host}` : undefined;
    ctx.report({
      setting: s,
      at,
      message: origin === '*'
        ? `${where} is not a wildcard: corsheaders rejects it (E013) and matches no origin; list the frontends' origins`
        : `${where} has no scheme${url.scheme && !url.netloc ? ' or host' : ''}: corsheaders rejects it (E013) and never matches it${fixed ? `; write ${JSON.stringify(fixed)}` : ''}`,
      djangoChecks: ['corsheaders.E013'],
      fixes: () => fixed ? rewrite(ctx, item, fixed, `Use ${JSON.stringify(fixed)}`) : [],
    });
    return;
  }
  const extra = (['path', 'params', 'query', 'fragment'] as const).filter((p) => url[p] !== '');
  if (extra.length > 0) {
    const fixed = `${url.scheme}://${url.netloc}`;
    ctx.report({
      setting: s,
      at,
      message: `${where} has a ${extra.join(' and ')}${url.path === '/' && extra.length === 1 ? ' (the trailing slash)' : ''}: corsheaders rejects it (E014) and never matches it; write ${JSON.stringify(fixed)}`,
      djangoChecks: ['corsheaders.E014'],
      fixes: () => rewrite(ctx, item, fixed, `Use ${JSON.stringify(fixed)}`),
    });
    return;
  }
  if (url.scheme.toLowerCase() === 'http' && !LOCAL.test(url.netloc) && ctx.profile.module.role === 'production') {
    ctx.report({ setting: s, at, severity: 'information', message: `${where} is plain HTTP: anyone on that network path can impersonate it and read API responses` });
  }
}

/** Python's urllib.parse.urlparse, for the parts corsheaders looks at. */
export function urlsplit(u: string): { scheme: string; netloc: string; path: string; params: string; query: string; fragment: string } {
  let rest = u;
  let scheme = '';
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(rest);
  if (m) {
    scheme = m[1]!.toLowerCase();
    rest = rest.slice(m[0].length);
  }
  let netloc = '';
  if (rest.startsWith('//')) {
    const end = rest.slice(2).search(/[/?#]/);
    netloc = end < 0 ? rest.slice(2) : rest.slice(2, 2 + end);
    rest = end < 0 ? '' : rest.slice(2 + end);
  }
  let fragment = '';
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    fragment = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  }
  let query = '';
  const q = rest.indexOf('?');
  if (q >= 0) {
    query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  let params = '';
  const lastSlash = rest.lastIndexOf('/');
  const semi = rest.indexOf(';', lastSlash + 1);
  if (semi >= 0) {
    params = rest.slice(semi + 1);
    rest = rest.slice(0, semi);
  }
  return { scheme, netloc, path: rest, params, query, fragment };
}

interface RegexProblem {
  kind: 'any' | 'suffix' | 'prefix' | 'dot';
  example: string;
}

/** Origins a careless pattern lets in, tried in order of severity; undefined when none matches. */
export function regexProblem(pattern: string): RegexProblem | undefined {
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${pattern.replace(/\\Z/g, '$').replace(/\(\?P</g, '(?<')})`);
  } catch {
    return undefined;
  }
  const tries: RegexProblem[] = [{ kind: 'any', example: 'https://attacker.invalid' }];
  const unescaped = pattern.replace(/\\\./g, '.');
  const hosts = [...new Set(unescaped.match(/[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+/g) ?? [])];
  for (const host of hosts) {
    // An origin the pattern is meant to accept, to build the look-alikes from.
    const legit = [`https://${host}`, `https://www.${host}`, `https://app.${host}`, `http://${host}`].find((o) => re.test(o));
    if (!legit) continue;
    const at = legit.indexOf(host);
    tries.push({ kind: 'suffix', example: `${legit}.attacker.invalid` });
    tries.push({ kind: 'prefix', example: `${legit.slice(0, at)}attacker${legit.slice(at)}` });
    const start = legit.indexOf('//') + 2;
    for (let i = legit.indexOf('.', start); i >= 0; i = legit.indexOf('.', i + 1)) {
      tries.push({ kind: 'dot', example: `${legit.slice(0, i)}x${legit.slice(i + 1)}` });
    }
  }
  return tries.find((t) => re.test(t.example));
}

/** Escape the dots that precede a name (outside character classes) and anchor the end. */
export function tightenRegex(pattern: string): string | undefined {
  let fixed = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      fixed += c + (pattern[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    fixed += c === '.' && !inClass && /[A-Za-z0-9]/.test(pattern[i + 1] ?? '') ? '\\.' : c;
  }
  if (!/(\$|\\Z)$/.test(fixed)) fixed += '$';
  return fixed !== pattern && !regexProblem(fixed) ? fixed : undefined;
}

function checkRegex(ctx: SettingsContext, s: Setting, item: Value, pattern: string): void {
  const problem = regexProblem(pattern);
  if (!problem) return;
  const what = {
    any: 'matches every origin',
    suffix: 'is not anchored with $',
    prefix: 'lets any domain that ends with yours match',
    dot: 'has an unescaped dot, which matches any character',
  }[problem.kind];
  const fixed = problem.kind === 'suffix' || problem.kind === 'dot' ? tightenRegex(pattern) : undefined;
  if (pattern === '') {
    ctx.report({
      setting: s,
      at: item.src ?? s.binding?.rhs,
      severity: 'warning',
      message: `${s.name} holds an empty pattern${whenUnset(item.env ? item : s.value)}, and an empty pattern matches every origin (note that "".split(",") is [""], not [])`,
    });
    return;
  }
  ctx.report({
    setting: s,
    at: item.src ?? s.binding?.rhs,
    severity: 'warning',
    message: `${s.name} pattern r"${pattern}"${whenUnset(item.env ? item : s.value)} ${what}: it accepts ${problem.example}, which can then read API responses`,
    fixes: () => fixed ? rewrite(ctx, item, fixed, `Use r"${fixed}"`) : [],
  });
}

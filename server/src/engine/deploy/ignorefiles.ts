// .gitignore and .dockerignore matching. The two differ (spec §d) and never share a matcher:
// git patterns without a slash match at any depth and a parent directory that is ignored cannot be
// re-included; Docker patterns are anchored at the context root (`.env` does not match `sub/.env`,
// `**/.env` does), follow Go's filepath.Match, and a later `!pattern` can re-include anything.

export interface IgnorePattern {
  negated: boolean;
  dirOnly: boolean;
  re: RegExp;
  text: string;
  line: number;
}

function globBody(p: string): string {
  let re = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '*') {
      if (p[i + 1] === '*') {
        // `**/` any leading dirs, `/**` anything below, `**` alone anything.
        if (p[i + 2] === '/') {
          re += '(?:.*/)?';
          i += 2;
        } else {
          re += '.*';
          i += 1;
        }
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = p.indexOf(']', i + 1);
      if (close < 0) re += '\\[';
      else {
        let cls = p.slice(i + 1, close);
        if (cls.startsWith('!') || cls.startsWith('^')) cls = '^' + cls.slice(1);
        re += `[${cls.replace(/\\/g, '\\\\')}]`;
        i = close;
      }
    } else if (c === '\\' && i + 1 < p.length) {
      re += p[i + 1]!.replace(/[.+^${}()|[\]\\*?]/g, '\\$&');
      i++;
    } else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return re;
}

export function parseGitignore(text: string): IgnorePattern[] {
  const out: IgnorePattern[] = [];
  text.split(/\r?\n/).forEach((raw, line) => {
    let p = raw.replace(/(?<!\\)\s+$/, '');
    if (!p || p.startsWith('#')) return;
    const negated = p.startsWith('!');
    if (negated) p = p.slice(1);
    const dirOnly = p.endsWith('/');
    if (dirOnly) p = p.slice(0, -1);
    const anchored = p.startsWith('/') || p.slice(0, -1).includes('/');
    p = p.replace(/^\//, '');
    const body = globBody(p);
    out.push({ negated, dirOnly, re: new RegExp(anchored ? `^${body}$` : `(?:^|/)${body}$`), text: raw.trim(), line });
  });
  return out;
}

/** Is a path (relative to the .gitignore's folder, `/`-separated) ignored? */
export function gitIgnored(patterns: IgnorePattern[], rel: string): boolean {
  const parts = rel.split('/');
  // A parent directory that is ignored hides everything below it for good.
  for (let k = 1; k < parts.length; k++) {
    if (decide(patterns, parts.slice(0, k).join('/'), true)) return true;
  }
  return decide(patterns, rel, false);
}

function decide(patterns: IgnorePattern[], path: string, isDir: boolean): boolean {
  let ignored = false;
  for (const p of patterns) {
    if (p.dirOnly && !isDir) continue;
    if (p.re.test(path)) ignored = !p.negated;
  }
  return ignored;
}

export function parseDockerignore(text: string): IgnorePattern[] {
  const out: IgnorePattern[] = [];
  text.split(/\r?\n/).forEach((raw, line) => {
    let p = raw.trim();
    if (!p || p.startsWith('#')) return;
    const negated = p.startsWith('!');
    if (negated) p = p.slice(1).trim();
    p = p.replace(/^\/+/, '').replace(/\/+$/, '').replace(/^\.\//, '');
    if (!p) return;
    // Docker matches the pattern against the path and every parent folder of it.
    out.push({ negated, dirOnly: false, re: new RegExp(`^${globBody(p)}(?:/.*)?$`), text: raw.trim(), line });
  });
  return out;
}

/** Is a path (relative to the build context) excluded from the context? */
export function dockerIgnored(patterns: IgnorePattern[], rel: string): boolean {
  let ignored = false;
  for (const p of patterns) if (p.re.test(rel)) ignored = !p.negated;
  return ignored;
}

/** The last pattern matching a path (or one of its folders), or undefined when none does. */
export function gitMatch(patterns: IgnorePattern[], rel: string): IgnorePattern | undefined {
  const parts = rel.split('/');
  for (let k = 1; k < parts.length; k++) {
    const dir = parts.slice(0, k).join('/');
    let hit: IgnorePattern | undefined;
    for (const p of patterns) if (p.re.test(dir)) hit = p;
    if (hit && !hit.negated) return hit;
  }
  let hit: IgnorePattern | undefined;
  for (const p of patterns) {
    if (p.dirOnly) continue;
    if (p.re.test(rel)) hit = p;
  }
  return hit;
}

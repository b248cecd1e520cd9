import { basename, dirname, join, relative } from 'node:path';
import type { Fix } from '../../types';
import { dictGetStr, isSequence, truthy } from '../../settings/value';
import { opsContext, strOf } from '../ops/support';
import type { ProjectRule } from '../types';

/** Minimal standalone pages: 500.html must render without context processors, the database or a base template. */
const PAGES: Record<string, string> = {
  '404.html': `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Page not found</title></head>
<body>
  <h1>Page not found</h1>
  <p>The page you asked for does not exist. <a href="/">Go to the home page</a>.</p>
</body>
</html>
`,
  '500.html': `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Server error</title></head>
<body>
  <h1>Something went wrong</h1>
  <p>Please try again in a few minutes.</p>
</body>
</html>
`,
};

export const rule: ProjectRule = {
  id: 'DJ-OPS-027',
  name: 'error-pages-missing',
  family: 'project',
  summary: 'A project that renders HTML has no 404.html or 500.html template',
  defaultSeverity: 'hint',
  djangoChecks: [],
  docs: `With DEBUG off, Django answers errors with \`404.html\` and \`500.html\` from the template directories, and
falls back to a bare "Not Found" / "Server Error (500)" page without your site's look, navigation or
contact details. The rule looks at projects that have HTML templates (an API-only project is left
alone) and at every \`templates/\` folder and \`TEMPLATES["DIRS"]\` entry. The fix creates minimal standalone
pages in the first template folder, to adapt to the site's look (\`500.html\` should not depend on
context processors, the database or a base template that does).

Before:
\`\`\`text
templates/base.html
\`\`\`
After:
\`\`\`text
templates/base.html
templates/404.html
templates/500.html
\`\`\``,
  check(pctx) {
    const ctx = opsContext(pctx);
    if (!ctx) return;
    if (truthy(ctx.setting('DEBUG').value) !== false) return;
    const templates = ctx.setting('TEMPLATES').value;
    if (!isSequence(templates) || templates.partial || templates.items.length === 0) return;
    const roots = new Set<string>();
    const configured: string[] = [];
    for (const engine of templates.items) {
      const dirs = dictGetStr(engine, 'DIRS');
      if (dirs && isSequence(dirs)) for (const d of dirs.items) if (d.kind === 'str' || d.kind === 'path') configured.push(d.value.replace(/\/+$/, ''));
      const backend = strOf(dictGetStr(engine, 'BACKEND'));
      if (backend === undefined) return;
    }
    for (const d of configured) roots.add(d);
    const html = ctx.files.filter((f) => f.endsWith('.html') && !/\/(node_modules|static|staticfiles|site-packages)\//.test(f));
    for (const f of html) {
      const m = /^(.*\/templates)\//.exec(f);
      if (m) roots.add(m[1]!);
    }
    // Under a root when one of the folders above the page is a root (the page's path cut at a '/'):
    // a large project has thousands of templates and a hundred roots, and a page has a dozen folders.
    const inRoot = (f: string) => {
      for (let cut = f.indexOf('/'); cut >= 0; cut = f.indexOf('/', cut + 1)) if (roots.has(f.slice(0, cut))) return true;
      return false;
    };
    const pages = html.filter(inRoot);
    if (pages.length === 0) return;
    const has = (name: string) => pages.some((f) => f.endsWith(name) && basename(f) === name && roots.has(dirname(f)));
    const missing = ['404.html', '500.html'].filter((n) => !has(n));
    if (missing.length === 0) return;
    // New pages go to the first TEMPLATES DIRS folder of the project, else to where its pages are.
    const inProject = (d: string) => d.startsWith(ctx.project.root + '/');
    const target = configured.find(inProject) ?? [...roots].filter(inProject).sort((a, b) => a.length - b.length)[0];
    const fixes: Fix[] = target
      ? [
          {
            title: `Create ${missing.map((m) => relative(ctx.project.root, join(target, m))).join(' and ')}`,
            edits: missing.map((m) => ({ file: join(target, m), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: PAGES[m]! })),
            safe: true,
          },
        ]
      : [];
    ctx.report({
      setting: ctx.setting('TEMPLATES'),
      message: `No ${missing.join(' or ')} template: production errors show Django's bare "${missing.includes('500.html') ? 'Server Error (500)' : 'Not Found'}" page instead of your site's`,
      fixes,
    });
  },
};

import { basename, dirname, join } from 'node:path';
import { hasApp, hasRequirement, middleware, viewIndex, editableFixes } from '../../views/context';
import { ensureName, importEdits, type PyModule } from '../../views/imports';
import { baseName } from '../../workspace';
import { isAppFile, PROBE_VIEW_NAME, shortPath, type ViewIndex } from '../../views/model';
import { HEALTH_VIEW_NAME, isHealthRoute } from '../../views/patterns';
import { endOfText } from '../../parsing/lines';
import { headRange, nodeLocation, snakeCase } from '../../views/py';
import { addUrlPatternEdits, urlpatternsStatement } from '../../views/urlEdit';
import type { Fix, RelatedInformation, TextEdit } from '../../types';
import type { ProjectContext, ProjectRule } from '../types';

const HEALTH_APPS = ['health_check', 'watchman', 'django_alive', 'healthchecks', 'django_healthchecks', 'health_checks', 'django_health_check'];
const HEALTH_PACKAGES = ['django-health-check', 'django-watchman', 'django-alive', 'django-healthchecks', 'django-health-checks', 'django-healthz'];

const VIEW_NAME = 'health_check';
const ROUTE = 'health/';
const IMPORTS = ['from django.db import connection', 'from django.http import JsonResponse', 'from django.views.decorators.http import require_GET'];
const VIEW_LINES = [
  '@require_GET',
  `def ${VIEW_NAME}(request):`,
  '    try:',
  '        connection.ensure_connection()',
  '    except Exception:',
  '        return JsonResponse({"status": "unhealthy"}, status=503)',
  '    return JsonResponse({"status": "healthy"})',
];

/** Where a health check already exists, if anywhere. */
function healthEvidence(ctx: ProjectContext, index: ViewIndex): boolean {
  for (const p of index.urls.patterns) {
    const route = p.fullRoute ?? p.route;
    if (route !== undefined && (p.kind === 'route' || p.kind === 'router') && !p.include && isHealthRoute(route)) return true;
    if (p.include?.name && /health|watchman|alive/i.test(p.include.name)) return true;
    if (p.target && HEALTH_VIEW_NAME.test(snakeCase(p.target.name))) return true;
    if (p.external && /health|watchman|alive/i.test(p.external)) return true;
  }
  if (HEALTH_APPS.some((a) => hasApp(ctx, a))) return true;
  if (HEALTH_PACKAGES.some((p) => hasRequirement(ctx, p))) return true;
  if (middleware(ctx).items.some((m) => /health|alive|ping/i.test(m))) return true;
  return false;
}

/** Add the Q4 view to `target` and route it from the root urls module. */
function healthFix(index: ViewIndex, root: PyModule, target: PyModule, title: string, safe: boolean): Fix | undefined {
  const edits: TextEdit[] = [];
  const exists = target.defs.has(VIEW_NAME);
  let viewExpr: string;
  if (target === root) {
    viewExpr = VIEW_NAME;
    if (!exists) {
      const anchor = urlpatternsStatement(root);
      if (!anchor) return undefined;
      edits.push(...importEdits(root, IMPORTS));
      const at = { line: anchor.startPosition.row, character: 0 };
      const lines = root.text.split('\n');
      let blank = 0;
      while (blank < 2 && anchor.startPosition.row - blank - 1 >= 0 && lines[anchor.startPosition.row - blank - 1]!.trim() === '') blank++;
      edits.push({ file: root.path, range: { start: at, end: at }, newText: '\n'.repeat(2 - blank) + [...VIEW_LINES, '', '', ''].join('\n') });
    }
  } else {
    if (!exists) {
      edits.push(...importEdits(target, IMPORTS));
      const end = endOfText(target.text);
      const sep = target.text.length === 0 ? '' : target.text.endsWith('\n\n\n') ? '' : target.text.endsWith('\n\n') ? '\n' : target.text.endsWith('\n') ? '\n\n' : '\n\n\n';
      edits.push({ file: target.path, range: { start: end, end }, newText: sep + VIEW_LINES.join('\n') + '\n' });
    }
    const qualified = `${target.moduleName}.${VIEW_NAME}`;
    const existing = root.expressionFor(qualified);
    if (existing) viewExpr = existing;
    else {
      const sibling = dirname(target.path) === dirname(root.path);
      const moduleBinding = root.expressionFor(target.moduleName);
      if (moduleBinding) viewExpr = `${moduleBinding}.${VIEW_NAME}`;
      else if (sibling && basename(target.path) === 'views.py' && !root.binds('views')) {
        viewExpr = `views.${VIEW_NAME}`;
        edits.push(...importEdits(root, ['from . import views']));
      } else {
        const n = ensureName(root, qualified);
        viewExpr = n.expr;
        edits.push(...importEdits(root, n.imports));
      }
    }
  }
  const path = ensureName(root, 'django.urls.path');
  edits.push(...importEdits(root, path.imports));
  edits.push(...addUrlPatternEdits(root, `${path.expr}("${ROUTE}", ${viewExpr}, name="${VIEW_NAME}")`));
  return { title, edits, safe };
}

const HOME_APPS = /^(core|common|main|base|pages|home|health|site|website|web|utils|shared)$/;

export const rule: ProjectRule = {
  id: 'DJ-URL-001',
  name: 'health-check-missing',
  family: 'project',
  summary: 'No health-check URL: nothing routes /health/, /healthz/, /ping/, /ready/... and no health-check package is installed',
  defaultSeverity: 'information',
  djangoChecks: [],
  docs: `Load balancers, container orchestrators and uptime monitors need a cheap URL that answers 200 when the
application (and its database) works and 503 when it does not. Without one they probe \`/\` (slow, may
redirect to a login page) or nothing at all, and a broken deployment keeps receiving traffic.

The rule reads ROOT_URLCONF and every module it includes (plus any other urls.py, so a route anywhere
counts), and is satisfied by a route whose last segment is health, healthz, healthcheck, ready, readyz, live,
livez, ping, status, up (optionally with a leading underscore), a routed view named like a health check,
\`include("health_check.urls")\` / watchman / django-alive, those apps in INSTALLED_APPS or requirements, or
a middleware answering health probes.

The quick fix adds a small view (database check, JSON, 200/503) and routes it at \`health/\` in the ROOT_URLCONF
module, with the imports it needs. The view goes into the \`views.py\` next to the root urls module, or an
app that looks like the project's home (\`core\`, \`common\`, \`main\`, \`pages\`...), else into the root urls
module itself (seed S3's layout); a second action puts it into another views module of the project. A view
called \`health_check\` that exists but is not routed is routed instead of duplicated.

Before (urls.py):
\`\`\`python
urlpatterns = [
    path("admin/", admin.site.urls),
]
\`\`\`
After (views.py):
\`\`\`python
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.http import require_GET


@require_GET
def health_check(request):
    try:
        connection.ensure_connection()
    except Exception:
        return JsonResponse({"status": "unhealthy"}, status=503)
    return JsonResponse({"status": "healthy"})
\`\`\`
and in urls.py:
\`\`\`python
from . import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("health/", views.health_check, name="health_check"),
]
\`\`\``,
  check(ctx) {
    const index = viewIndex(ctx);
    const root = index.urls.root;
    if (!root) return;
    if (healthEvidence(ctx, index)) return;
    // Where the view would go is worked out only when the fix is asked for: it looks through the
    // apps' views.py modules (a large project has hundreds) and parses the one it picks.
    const healthFixes = (): Fix[] => {
      const fixes: Fix[] = [];
      const siblingPath = join(dirname(root.path), 'views.py');
      const sibling = ctx.fs.isFile(siblingPath) ? index.resolver.module(siblingPath) : undefined;
      const others = ctx.files.filter((f) => f.endsWith('views.py') && baseName(f) === 'views.py' && f !== root.path && f !== siblingPath && isAppFile(ctx.project, f))
        // Code-unit order: the same on every machine, and no ICU collator to set up (10-20 ms).
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const first = (paths: string[]) => {
        for (const f of paths) {
          const m = index.resolver.module(f);
          if (m) return m;
        }
        return undefined;
      };
      const home = first(others.filter((f) => HOME_APPS.test(basename(dirname(f)))));
      const preferred = sibling ?? home ?? root;
      const main = healthFix(index, root, preferred, `Add a health-check view${preferred === root ? '' : ` to ${shortPath(ctx.project, preferred.path)}`} and route it at /${ROUTE}`, true);
      if (main) fixes.push(main);
      const alternative = preferred === root ? first(others) : root;
      if (alternative) {
        const alt = healthFix(index, root, alternative, `Add a health-check view to ${shortPath(ctx.project, alternative.path)} and route it at /${ROUTE}`, false);
        if (alt) fixes.push(alt);
      }
      return fixes;
    };
    // Unrouted functions that look like probes are worth pointing at.
    const related: RelatedInformation[] = index.views
      .filter((v) => v.kind === 'function' && !v.routed && PROBE_VIEW_NAME.test(snakeCase(v.name)))
      .map((v) => ({ location: nodeLocation(v.module.path, v.node.childForFieldName('name') ?? v.node), message: `${v.name}() looks like a probe, but no URL routes to it` }));
    const anchor = urlpatternsStatement(root);
    const range = anchor ? headRange(anchor) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    ctx.report({
      file: root.path,
      range,
      message: `No health-check endpoint: no URL in ${root.moduleName} (or the modules it includes) answers /health/, /healthz/, /ping/ or similar, so load balancers and uptime monitors cannot tell whether the app and its database work${index.urls.complete ? '' : ' (some URL modules could not be read)'}`,
      fixes: () => editableFixes(ctx, healthFixes()),
      related: related.length ? related : undefined,
    });
  },
};

import { viewIndex, editableFixes } from '../../views/context';
import { ensureName, importEdits } from '../../views/imports';
import type { UrlPattern } from '../../views/urls';
import { deleteLinesEdit, insertLinesAfter, lineIndent, nodeRange, ownsLines, removeListElementEdit, unparen } from '../../views/py';
import { wrapStatementInDebugEdit } from '../../views/urlEdit';
import type { Fix, TextEdit } from '../../types';
import type { ProjectRule } from '../types';
import { lineAt } from '../../parsing/lines';

const SERVE = /^django\.(views\.static|contrib\.staticfiles\.views)\.serve$/;

/** `urlpatterns += static(...)` or `urlpatterns = [...] + static(...)` → move under `if settings.DEBUG:`. */
function staticFix(p: UrlPattern): Fix | undefined {
  const mod = p.module;
  const stmt = p.statement;
  const inner = stmt.namedChildren[0];
  if (!inner || stmt.parent?.type !== 'module') return undefined;
  const settings = ensureName(mod, 'django.conf.settings');
  const right = inner.childForFieldName('right') ? unparen(inner.childForFieldName('right')!) : undefined;
  const edits: TextEdit[] = [...importEdits(mod, settings.imports)];
  if (inner.type === 'augmented_assignment' && right && right.startIndex === p.node.startIndex) {
    edits.push(wrapStatementInDebugEdit(mod, stmt, settings.expr));
  } else if (right?.type === 'binary_operator' && unparen(right.childForFieldName('right')!).startIndex === p.node.startIndex) {
    // urlpatterns = [...] + static(...): drop "+ static(...)" and re-add it under the guard.
    const left = right.childForFieldName('left')!;
    edits.push({ file: mod.path, range: { start: nodeRange(left).end, end: nodeRange(right).end }, newText: '' });
    const indent = lineIndent(mod.text, stmt.startPosition.row);
    edits.push(insertLinesAfter(mod.path, mod.text, stmt, [`if ${settings.expr}.DEBUG:`, `    urlpatterns += ${p.node.text}`], indent));
  } else return undefined;
  return { title: 'Move static() under if settings.DEBUG:', edits, safe: true };
}

/** A serve route inside the urlpatterns list → move it under `if settings.DEBUG:`. */
function serveFix(p: UrlPattern): Fix | undefined {
  const mod = p.module;
  const stmt = p.statement;
  if (stmt.parent?.type !== 'module') return undefined;
  const settings = ensureName(mod, 'django.conf.settings');
  const edits: TextEdit[] = [...importEdits(mod, settings.imports)];
  const inner = stmt.namedChildren[0];
  const list = p.container;
  if (!list || list.type !== 'list') return undefined;
  const elements = list.namedChildren.filter((n) => n && n.type !== 'comment');
  if (inner?.type === 'augmented_assignment' && elements.length === 1 && unparen(inner.childForFieldName('right')!).startIndex === list.startIndex) {
    edits.push(wrapStatementInDebugEdit(mod, stmt, settings.expr));
  } else {
    const text = mod.text;
    const line = lineAt(text, p.node.endPosition.row) ?? '';
    const after = line.slice(p.node.endPosition.column);
    if (ownsLines(text, p.node) || (/^\s*,\s*(#.*)?$/.test(after) && /^\s*$/.test((lineAt(text, p.node.startPosition.row) ?? '').slice(0, p.node.startPosition.column)))) {
      edits.push(deleteLinesEdit(mod.path, text, p.node));
    } else edits.push(removeListElementEdit(mod.path, list, p.node));
    const indent = lineIndent(text, stmt.startPosition.row);
    edits.push(insertLinesAfter(mod.path, text, stmt, [`if ${settings.expr}.DEBUG:`, `    urlpatterns += [${p.node.text.replace(/\n\s*/g, ' ')}]`], indent));
  }
  return { title: 'Serve these files only when DEBUG is on (production needs the web server, WhiteNoise or a storage backend)', edits, safe: false };
}

export const rule: ProjectRule = {
  id: 'DJ-URL-006',
  name: 'static-serve-unguarded',
  family: 'project',
  summary: 'static() or django.views.static.serve routes added to urlpatterns outside an if settings.DEBUG: block',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `\`django.views.static.serve\` is a development helper: Django documents it as "grossly inefficient and
probably insecure" for production. Routed without a DEBUG guard it serves uploaded media (or any folder it is
given) through the application workers in production. **Warning**; the fix moves the route under
\`if settings.DEBUG:\` (not applied by "fix all": production then needs the web server, WhiteNoise or a
storage backend to serve those files).

\`+ static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)\` is harmless but misleading: \`static()\`
returns no routes when DEBUG is False, so media files 404 in production unless nginx, a CDN or a storage backend
serves them. **Hint**; the safe fix makes the condition explicit.

Before:
\`\`\`python
urlpatterns = [
    path("", include("shop.urls")),
] + static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
\`\`\`
After:
\`\`\`python
urlpatterns = [
    path("", include("shop.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
\`\`\``,
  check(ctx) {
    const index = viewIndex(ctx);
    const rootKnown = !!index.urls.root;
    for (const p of index.urls.patterns) {
      if (p.debugGuarded || (rootKnown && !p.reachable)) continue;
      if (p.kind === 'static') {
        const fix = staticFix(p);
        ctx.report({
          file: p.module.path,
          range: nodeRange(p.node),
          severity: 'hint',
          message: `${p.node.childForFieldName('function')?.text ?? 'static'}() adds routes only when DEBUG is True: in production these files 404 unless the web server, a CDN or a storage backend serves them. Make the condition explicit with if settings.DEBUG:`,
          fixes: () => editableFixes(ctx, fix ? [fix] : []),
        });
        continue;
      }
      if (p.kind !== 'route' || !p.external || !SERVE.test(p.external)) continue;
      const fix = serveFix(p);
      ctx.report({
        file: p.module.path,
        range: nodeRange(p.node),
        message: `${p.external.split('.').slice(-2).join('.')} is routed without an if settings.DEBUG: guard: Django's file-serving view is inefficient and not hardened for production; serve these files with the web server, WhiteNoise or a storage backend`,
        fixes: () => editableFixes(ctx, fix ? [fix] : []),
      });
    }
  },
};

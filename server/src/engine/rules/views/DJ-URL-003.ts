import { editableFixes, viewIndex } from '../../views/context';
import { importEdits } from '../../views/imports';
import { nodeRange, replaceEdit } from '../../views/py';
import type { ProjectRule } from '../types';

export const rule: ProjectRule = {
  id: 'DJ-URL-003',
  name: 'admin-default-url',
  family: 'project',
  summary: 'The Django admin is served at the default admin/ route',
  defaultSeverity: 'hint',
  djangoChecks: [],
  docs: `Every scanner on the internet tries \`/admin/\`. Serving the admin elsewhere does not replace strong passwords,
2FA or an IP allow-list, but it removes the admin login from automated credential stuffing and keeps its
existence out of casual view. cookiecutter-django reads the route from the environment (\`settings.ADMIN_URL\`).

Reported for \`path("admin/", admin.site.urls)\` (and \`re_path(r"^admin/", ...)\`) in the ROOT_URLCONF tree.
The quick fix reads the route from \`DJANGO_ADMIN_URL\`, keeping \`admin/\` when the variable is unset, so nothing
changes until you set it.

Before:
\`\`\`python
urlpatterns = [path("admin/", admin.site.urls)]
\`\`\`
After:
\`\`\`python
import os

urlpatterns = [path(os.environ.get("DJANGO_ADMIN_URL", "admin/"), admin.site.urls)]
\`\`\``,
  check(ctx) {
    const index = viewIndex(ctx);
    const rootKnown = !!index.urls.root;
    for (const p of index.urls.patterns) {
      if (!p.isAdmin || !p.routeNode || p.route === undefined) continue;
      if (rootKnown && !p.reachable) continue;
      if (p.route !== 'admin/' && p.route !== 'admin') continue;
      const mod = p.module;
      const routeNode = p.routeNode;
      const regex = p.fn !== 'path';
      const value = regex ? `"^" + os.environ.get("DJANGO_ADMIN_URL", "admin/")` : `os.environ.get("DJANGO_ADMIN_URL", "admin/")`;
      ctx.report({
        file: mod.path,
        range: nodeRange(p.routeNode),
        message: 'The admin is served at the default "admin/" route, the first place bots try passwords: read the route from the environment (e.g. DJANGO_ADMIN_URL) and set a less guessable value in production',
        fixes: () => editableFixes(ctx, [{ title: 'Read the admin route from DJANGO_ADMIN_URL (default "admin/")', edits: [...importEdits(mod, ['import os']), replaceEdit(mod.path, routeNode, value)], safe: true }]),
      });
    }
  },
};

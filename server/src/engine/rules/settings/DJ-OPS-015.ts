import { dictGetStr, isSequence, type Value } from '../../settings/value';
import type { SettingsRule } from '../types';

const FILE_CACHE = 'django.core.cache.backends.filebased.FileBasedCache';

function pathOf(v: Value | undefined): string | undefined {
  return v && (v.kind === 'str' || v.kind === 'path') ? v.value : undefined;
}

function inside(child: string, parent: string): boolean {
  return child.startsWith(parent.endsWith('/') ? parent : parent + '/');
}

export const rule: SettingsRule = {
  id: 'DJ-OPS-015',
  name: 'cache-location',
  family: 'settings',
  summary: 'CACHES has no default alias, or a file cache lives in a served or relative folder',
  defaultSeverity: 'warning',
  djangoChecks: ['caches.E001', 'caches.W002', 'caches.W003'],
  docs: `Django needs a \`default\` cache alias (caches.E001). A \`FileBasedCache\` whose \`LOCATION\` is, is inside,
or contains \`MEDIA_ROOT\`, \`STATIC_ROOT\` or a \`STATICFILES_DIRS\` folder can be downloaded by anyone
(cached pages, sessions) or have its files overwritten by uploads (caches.W002); a relative
\`LOCATION\` depends on the working directory of whatever process starts Django (caches.W003).

Before:
\`\`\`python
CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": BASE_DIR / "media" / "cache"}}
\`\`\`
After:
\`\`\`python
CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": "/var/tmp/django_cache"}}
\`\`\``,
  check(ctx) {
    const caches = ctx.setting('CACHES');
    const v = caches.value;
    if (v.kind !== 'dict' || v.partial) return;
    if (!v.entries.some((e) => e.key.kind === 'str' && e.key.value === 'default')) {
      ctx.report({ setting: caches, severity: 'error', message: 'CACHES has no "default" alias: Django refuses to start without one', djangoChecks: ['caches.E001'] });
    }
    const roots: { name: string; path: string }[] = [];
    for (const name of ['MEDIA_ROOT', 'STATIC_ROOT']) {
      const p = pathOf(ctx.setting(name).value);
      if (p && p.startsWith('/')) roots.push({ name, path: p });
    }
    const dirs = ctx.setting('STATICFILES_DIRS').value;
    if (isSequence(dirs)) {
      for (const d of dirs.items) {
        const p = pathOf(d.kind === 'tuple' || d.kind === 'list' ? d.items[1] : d);
        if (p && p.startsWith('/')) roots.push({ name: 'STATICFILES_DIRS', path: p });
      }
    }
    for (const entry of v.entries) {
      if (entry.key.kind !== 'str') continue;
      const backend = dictGetStr(entry.value, 'BACKEND');
      if (backend?.kind !== 'str' || backend.value !== FILE_CACHE) continue;
      const locValue = dictGetStr(entry.value, 'LOCATION');
      const loc = pathOf(locValue);
      if (loc === undefined) continue;
      const at = locValue?.src ?? caches.binding?.rhs;
      if (!loc.startsWith('/')) {
        ctx.report({ setting: caches, at, message: `The "${entry.key.value}" file cache LOCATION ${JSON.stringify(loc)} is relative: it depends on the directory the server starts in`, djangoChecks: ['caches.W003'] });
        continue;
      }
      const seen = new Set<string>();
      for (const r of roots) {
        const relation = r.path === loc ? 'is' : inside(loc, r.path) ? 'is inside' : inside(r.path, loc) ? 'contains' : undefined;
        if (!relation || seen.has(r.name)) continue;
        seen.add(r.name);
        ctx.report({
          setting: caches,
          at,
          message: `The "${entry.key.value}" file cache LOCATION ${relation} ${r.name}: cached data can be downloaded or overwritten through the web server`,
          djangoChecks: ['caches.W002'],
        });
      }
    }
  },
};

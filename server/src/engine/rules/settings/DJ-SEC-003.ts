import { isSequence } from '../../settings/value';
import type { SettingsRule } from '../types';

const DEV_APPS = new Map([
  ['debug_toolbar', 'django-debug-toolbar'],
  ['silk', 'django-silk'],
  ['django_browser_reload', 'django-browser-reload'],
  ['django_extensions', 'django-extensions'],
]);
const DEV_MIDDLEWARE = new Map([
  ['debug_toolbar.middleware.DebugToolbarMiddleware', 'django-debug-toolbar'],
  ['silk.middleware.SilkyMiddleware', 'django-silk'],
  ['django_browser_reload.middleware.BrowserReloadMiddleware', 'django-browser-reload'],
]);

export const rule: SettingsRule = {
  id: 'DJ-SEC-003',
  name: 'dev-tools-in-production',
  family: 'settings',
  summary: 'Development tools (debug toolbar, silk, browser reload) are installed in production settings',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `The debug toolbar, silk and django-browser-reload show SQL, settings, headers and profiling data to
anyone their callback lets in, and slow every request. Keep them in the development settings or behind
\`if DEBUG:\`.

Before:
\`\`\`python
INSTALLED_APPS += ["debug_toolbar"]
\`\`\`
After:
\`\`\`python
if DEBUG:
    INSTALLED_APPS += ["debug_toolbar"]
\`\`\``,
  check(ctx) {
    for (const [name, table, kind] of [['INSTALLED_APPS', DEV_APPS, 'app'], ['MIDDLEWARE', DEV_MIDDLEWARE, 'middleware']] as const) {
      const s = ctx.setting(name);
      if (!isSequence(s.value)) continue;
      for (const item of s.value.items) {
        if (item.kind !== 'str') continue;
        const pkg = table.get(item.value);
        if (!pkg) continue;
        ctx.report({
          setting: s,
          at: item.src,
          message: `The ${pkg} ${kind} is in the production ${name}: it exposes debugging data and slows requests; enable it only in development`,
        });
      }
    }
  },
};

import { pyRepr } from '../../settings/value';
import { hasApp, whenUnset } from '../helpers';
import { staticRootEdits } from '../ops/blocks';
import { isLocalStorage, staticStorage } from '../ops/static';
import type { SettingsRule } from '../types';

export const rule: SettingsRule = {
  id: 'DJ-OPS-020',
  name: 'static-root-missing',
  family: 'settings',
  summary: 'django.contrib.staticfiles is installed but STATIC_ROOT is not set',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `\`collectstatic\` copies every app's static files into \`STATIC_ROOT\`, where WhiteNoise or the web server
serves them in production. Without it \`collectstatic\` stops with ImproperlyConfigured, so a deployment
either fails or runs without CSS and JavaScript. Object-storage backends (S3, GCS) that do not write to
disk are exempt.

Before:
\`\`\`python
STATIC_URL = "static/"
\`\`\`
After:
\`\`\`python
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
\`\`\``,
  check(ctx) {
    if (hasApp(ctx, 'django.contrib.staticfiles') !== true) return;
    const root = ctx.setting('STATIC_ROOT');
    if (root.value.kind !== 'none') return;
    const backend = staticStorage(ctx).backend;
    if (backend === undefined || !isLocalStorage(backend)) return;
    const edits = staticRootEdits(ctx);
    ctx.report({
      setting: root,
      message: `${root.isDefault ? 'STATIC_ROOT is not set' : `STATIC_ROOT is ${pyRepr(root.value)}${whenUnset(root.value)}`}: collectstatic refuses to run, so production has no static files to serve`,
      fixes: () => edits.length ? [{ title: 'Collect static files into staticfiles/', edits, safe: true }] : [],
    });
  },
};

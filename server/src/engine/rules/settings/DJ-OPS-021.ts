import { stringItems } from '../../settings/value';
import type { TextEdit } from '../../types';
import { SECURITY_MIDDLEWARE, hasApp } from '../helpers';
import { WHITENOISE_MIDDLEWARE, WHITENOISE_STORAGE, staticRootEdits } from '../ops/blocks';
import { otherStaticServing, staticStorage, storageEdits, usesWhitenoise, whitenoiseMiddlewareEdits } from '../ops/static';
import { listAt, opsContext, removeFromList } from '../ops/support';
import type { ProjectRule } from '../types';

export const rule: ProjectRule = {
  id: 'DJ-OPS-021',
  name: 'static-files-not-served',
  family: 'project',
  summary: 'Nothing serves static files in production, or WhiteNoise is set up without its middleware in place',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `With DEBUG off Django does not serve \`/static/\`. WhiteNoise serves the collected files from the app
process; its middleware must come right after \`SecurityMiddleware\` (before anything that could answer
or redirect first), and a project that lists \`whitenoise\` without the middleware serves nothing
(Warning). When neither WhiteNoise nor another sign of static serving is found (a CDN or absolute
\`STATIC_URL\`, object storage, an nginx/Caddy/Apache config or image in the repository), the rule says so
(Information) and the fix sets up WhiteNoise: \`STATIC_ROOT\`, the middleware, compressed and hashed
storage (\`STORAGES\`, or \`STATICFILES_STORAGE\` before Django 4.2) and the pinned requirement. Run
\`collectstatic\` when building the image: hashed storage needs its manifest.

Before:
\`\`\`python
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "django.contrib.sessions.middleware.SessionMiddleware", ...]
\`\`\`
After:
\`\`\`python
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "whitenoise.middleware.WhiteNoiseMiddleware", "django.contrib.sessions.middleware.SessionMiddleware", ...]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
\`\`\``,
  check(pctx) {
    const ctx = opsContext(pctx);
    if (!ctx) return;
    if (hasApp(ctx, 'django.contrib.staticfiles') !== true) return;
    const mwSetting = ctx.setting('MIDDLEWARE');
    // No MIDDLEWARE at all is the security rules' finding; adding one here would compete with theirs.
    if (mwSetting.isDefault) return;
    const mw = stringItems(mwSetting.value);
    if (!mw) return;
    const index = mw.indexOf(WHITENOISE_MIDDLEWARE);
    const requirement = () => (ctx.requires('whitenoise') ? [] : ctx.requirement('whitenoise'));
    if (index < 0) {
      if (usesWhitenoise(ctx)) {
        ctx.report({
          setting: mwSetting,
          message: 'WhiteNoise is set up but WhiteNoiseMiddleware is not in MIDDLEWARE: static files are not served',
          fixes: () => {
            const edits = whitenoiseMiddlewareEdits(ctx);
            return edits.length ? [{ title: 'Add WhiteNoiseMiddleware after SecurityMiddleware', edits: [...edits, ...requirement()], safe: true }] : [];
          },
        });
      } else if (!otherStaticServing(ctx)) {
        const fixes = () => {
          const edits: TextEdit[] = [];
          const middleware = whitenoiseMiddlewareEdits(ctx);
          // Without a MIDDLEWARE literal to extend, storage alone would only trade this finding for another.
          if (middleware.length === 0) return [];
          if (ctx.setting('STATIC_ROOT').value.kind === 'none') edits.push(...staticRootEdits(ctx));
          edits.push(...middleware);
          const storage = staticStorage(ctx);
          if (storage.isDefault || storage.backend === 'django.contrib.staticfiles.storage.StaticFilesStorage') edits.push(...storageEdits(ctx, WHITENOISE_STORAGE));
          edits.push(...requirement());
          return [{ title: 'Serve static files with WhiteNoise (compressed, hashed)', edits, safe: true }];
        };
        ctx.report({
          setting: mwSetting,
          severity: 'information',
          message: 'Nothing serves static files in production: Django does not with DEBUG off, and no WhiteNoise, CDN, object storage or web server config was found',
          fixes,
        });
      }
      return;
    }
    const security = mw.indexOf(SECURITY_MIDDLEWARE);
    const before = mw.slice(0, index).filter((m) => m.startsWith('django.') && m !== SECURITY_MIDDLEWARE);
    if (before.length === 0 && !(security > index)) return;
    const fixes = () => {
      const list = mwSetting.binding?.rhs?.file === ctx.profile.module.path ? listAt(ctx, mwSetting.binding?.rhs) : undefined;
      const moved = list ? removeFromList(ctx, list, WHITENOISE_MIDDLEWARE) : [];
      const insert = moved.length ? whitenoiseMiddlewareEdits(ctx) : [];
      return moved.length && insert.length ? [{ title: 'Move WhiteNoiseMiddleware right after SecurityMiddleware', edits: [...moved, ...insert], safe: true }] : [];
    };
    ctx.report({
      setting: mwSetting,
      message:
        security > index
          ? 'WhiteNoiseMiddleware comes before SecurityMiddleware: static responses skip the HTTPS redirect and security headers'
          : `WhiteNoiseMiddleware comes after ${before.map((m) => m.split('.').pop()).join(', ')}: static requests run through middleware they do not need, which can answer or redirect first`,
      fixes,
    });
  },
};

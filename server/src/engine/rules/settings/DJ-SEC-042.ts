import { LiteralEditor, py } from '../../fixes/literalEdit';
import { isSequence, type Value } from '../../settings/value';
import type { Fix } from '../../types';
import { CORS_APP, CORS_MIDDLEWARE, corsUsed, lastPart } from '../apiSettings';
import { hasApp, hasMiddleware } from '../helpers';
import type { SettingsContext, SettingsRule } from '../types';

const COMMON = 'django.middleware.common.CommonMiddleware';
const WHITENOISE = 'whitenoise.middleware.WhiteNoiseMiddleware';
const SECURITY = 'django.middleware.security.SecurityMiddleware';
const CORS_SETTINGS = /^CORS_(ALLOW|ALLOWED|ORIGIN|EXPOSE|PREFLIGHT|URLS|REPLACE)/;

export const rule: SettingsRule = {
  id: 'DJ-SEC-042',
  name: 'cors-middleware',
  family: 'settings',
  summary: 'corsheaders is installed but its middleware is missing or too low in MIDDLEWARE',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `django-cors-headers only acts through \`corsheaders.middleware.CorsMiddleware\`: with the app installed
but the middleware missing, every \`CORS_*\` setting is ignored and browsers block the frontend. Placed
after \`CommonMiddleware\` or \`WhiteNoiseMiddleware\`, the responses those produce (redirects, static
files) carry no CORS headers; its documentation asks for it "as high as possible". \`CORS_*\` settings
without the package in use do nothing at all (information).

Before:
\`\`\`python
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
]
\`\`\`
After:
\`\`\`python
MIDDLEWARE = [
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
]
\`\`\``,
  check(ctx) {
    const mw = ctx.setting('MIDDLEWARE');
    const items = isSequence(mw.value) && !mw.value.partial ? mw.value.items : undefined;
    const app = hasApp(ctx, CORS_APP) === true || hasApp(ctx, 'corsheaders.apps.CorsHeadersAppConfig') === true;
    const present = hasMiddleware(ctx, CORS_MIDDLEWARE);
    if (app && present === false && items) {
      ctx.report({
        setting: mw,
        message: 'corsheaders is installed but CorsMiddleware is not in MIDDLEWARE: every CORS_* setting is ignored and browsers block cross-origin calls',
        fixes: () => insertCors(ctx, items),
      });
      return;
    }
    if (present === true && items) {
      const index = items.findIndex((i) => i.kind === 'str' && i.value === CORS_MIDDLEWARE);
      const earlier = items.slice(0, index).find((i) => i.kind === 'str' && (i.value === COMMON || i.value === WHITENOISE));
      if (index >= 0 && earlier && earlier.kind === 'str') {
        const lit = new LiteralEditor(ctx.edit);
        const removal = lit.removeItem(items[index]!, 'Move CorsMiddleware up');
        const insertion = insertCors(ctx, items.slice(0, index));
        const sameFile = removal[0] && insertion[0] && removal[0].edits.every((e) => insertion[0]!.edits.every((f) => f.file === e.file));
        ctx.report({
          setting: mw,
          at: items[index]!.src ?? mw.binding?.rhs,
          message: `CorsMiddleware comes after ${lastPart(earlier.value)}: the responses ${lastPart(earlier.value)} returns itself carry no CORS headers`,
          fixes: () => sameFile ? [{ title: 'Move CorsMiddleware up', edits: [...removal[0]!.edits, ...insertion[0]!.edits], safe: true }] : [],
        });
      }
      return;
    }
    if (corsUsed(ctx) || present === undefined || hasApp(ctx, CORS_APP) === undefined) return;
    const stray = ctx.profile.settingNames().filter((n) => CORS_SETTINGS.test(n)).sort();
    if (stray.length === 0) return;
    const s = ctx.setting(stray[0]!);
    ctx.report({
      setting: s,
      at: s.binding?.stmt,
      severity: 'information',
      message: `${stray.join(', ')} ${stray.length === 1 ? 'has' : 'have'} no effect: django-cors-headers is neither in INSTALLED_APPS nor in MIDDLEWARE`,
    });
  },
};

/** CorsMiddleware before the first middleware that answers requests itself (Security, WhiteNoise, Common). */
function insertCors(ctx: SettingsContext, items: Value[]): Fix[] {
  const lit = new LiteralEditor(ctx.edit);
  const mw = ctx.setting('MIDDLEWARE');
  const anchor = items.find((i) => i.kind === 'str' && (i.value === SECURITY || i.value === WHITENOISE || i.value === COMMON));
  const title = 'Add CorsMiddleware to MIDDLEWARE';
  if (anchor) {
    const fixes = lit.insertItems(mw, [py.str(CORS_MIDDLEWARE)], title, { before: anchor });
    if (fixes.length) return fixes;
  }
  return lit.insertItems(mw, [py.str(CORS_MIDDLEWARE)], title, { first: true });
}

import { isSequence, pyEquals, type Value } from '../../settings/value';
import { hasApp } from '../helpers';
import type { SettingsRule } from '../types';

function pathOf(v: Value | undefined): string | undefined {
  return v && (v.kind === 'str' || v.kind === 'path') ? v.value.replace(/\/+$/, '') : undefined;
}

export const rule: SettingsRule = {
  id: 'DJ-OPS-025',
  name: 'static-media-paths',
  family: 'settings',
  summary: 'STATIC_* and MEDIA_* settings clash or lack their trailing slash',
  defaultSeverity: 'error',
  djangoChecks: ['urls.E006', 'staticfiles.E001', 'staticfiles.E002', 'staticfiles.E003'],
  docs: `User uploads (\`MEDIA_*\`) and collected static files (\`STATIC_*\`) must live apart: the same URL or
folder for both makes Django refuse to start, and media inside \`STATIC_ROOT\` is wiped or served
as trusted static content. \`STATIC_URL\` and \`MEDIA_URL\` must end with \`/\` (urls.E006), and
\`STATIC_ROOT\` must not be one of \`STATICFILES_DIRS\` (staticfiles.E002).

Before:
\`\`\`python
STATIC_URL = "/static"
\`\`\`
After:
\`\`\`python
STATIC_URL = "/static/"
\`\`\``,
  check(ctx) {
    for (const name of ['STATIC_URL', 'MEDIA_URL']) {
      const s = ctx.setting(name);
      const v = s.value;
      if (v.kind !== 'str' || v.value === '' || v.value.endsWith('/')) continue;
      const literal = !v.env && v.src && s.binding ? v.src : undefined;
      ctx.report({
        setting: s,
        message: `${name} ${JSON.stringify(v.value)} must end with a slash`,
        djangoChecks: ['urls.E006'],
        fixes: () => literal ? [{ title: `Use ${JSON.stringify(v.value + '/')}`, edits: [{ ...literal, newText: JSON.stringify(v.value + '/') }], safe: true }] : [],
      });
    }
    const staticUrl = ctx.setting('STATIC_URL');
    const mediaUrl = ctx.setting('MEDIA_URL');
    if (!mediaUrl.isDefault && staticUrl.value.kind === 'str' && staticUrl.value.value !== '' && pyEquals(staticUrl.value, mediaUrl.value) === true) {
      ctx.report({ setting: mediaUrl, message: 'MEDIA_URL and STATIC_URL are the same: Django refuses to start (uploads and static files must be served apart)' });
    }
    const staticRoot = ctx.setting('STATIC_ROOT');
    const mediaRoot = ctx.setting('MEDIA_ROOT');
    const sr = pathOf(staticRoot.value);
    const mr = pathOf(mediaRoot.value);
    if (sr && mr) {
      if (sr === mr) ctx.report({ setting: mediaRoot, message: 'MEDIA_ROOT and STATIC_ROOT are the same folder: Django refuses to start' });
      else if (mr.startsWith(sr + '/')) ctx.report({ setting: mediaRoot, severity: 'warning', message: 'MEDIA_ROOT is inside STATIC_ROOT: collectstatic can delete uploads, and uploads are served as static files' });
    }
    const dirsSetting = ctx.setting('STATICFILES_DIRS');
    const dirs = dirsSetting.value;
    // The staticfiles finder checks run only when the app is installed.
    if (hasApp(ctx, 'django.contrib.staticfiles') !== true) return;
    if (!dirsSetting.isDefault && dirs.kind !== 'unknown' && !(dirs.kind === 'list' || dirs.kind === 'tuple')) {
      // The classic `STATICFILES_DIRS = (BASE_DIR / "static")`: parentheses without a comma.
      ctx.report({
        setting: dirsSetting,
        message: 'STATICFILES_DIRS is not a list or tuple (a missing trailing comma?): Django refuses it',
        djangoChecks: ['staticfiles.E001'],
      });
      return;
    }
    if (!isSequence(dirs)) return;
    for (const d of dirs.items) {
      const pair = d.kind === 'tuple' || d.kind === 'list' ? d.items : undefined;
      const prefix = pair?.[0];
      if (prefix?.kind === 'str' && prefix.value.endsWith('/')) {
        ctx.report({ setting: dirsSetting, at: prefix.src ?? d.src, message: `The STATICFILES_DIRS prefix ${JSON.stringify(prefix.value)} must not end with a slash`, djangoChecks: ['staticfiles.E003'] });
      }
      const p = pathOf(pair ? pair[1] : d);
      if (sr && p && p === sr) {
        ctx.report({ setting: staticRoot, at: d.src, message: 'STATICFILES_DIRS contains STATIC_ROOT: collectstatic would copy the folder into itself', djangoChecks: ['staticfiles.E002'] });
      }
    }
  },
};

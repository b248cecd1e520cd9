import { LiteralEditor, py, type Py } from '../../fixes/literalEdit';
import { DRF, dictSetting, drfFix, drfInstalled, headAnchor, keyState, lastPart, strings } from '../apiSettings';
import type { SettingsRule } from '../types';

export const rule: SettingsRule = {
  id: 'DJ-API-006',
  name: 'drf-browsable-api',
  family: 'settings',
  summary: 'Django REST framework serves its browsable HTML API in production',
  defaultSeverity: 'hint',
  djangoChecks: [],
  docs: `DRF renders an HTML page with forms for every endpoint to any browser that asks
(\`DEFAULT_RENDERER_CLASSES\` unset means JSON + \`BrowsableAPIRenderer\`). In production it documents your
API to visitors, offers forms that post with the visitor's session, and costs a template render per
request. Serve JSON only in production; keep the browsable API in development settings.

Before:
\`\`\`python
REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
}
\`\`\`
After:
\`\`\`python
REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
\`\`\``,
  check(ctx) {
    if (!drfInstalled(ctx)) return;
    const s = ctx.setting('REST_FRAMEWORK');
    const state = dictSetting(s);
    const entries: [string, Py][] = [['DEFAULT_RENDERER_CLASSES', py.strs(DRF.json)]];
    const title = 'Render JSON only';
    const why = 'production serves the browsable HTML API to anyone who opens an endpoint in a browser';
    if (state.kind === 'missing') {
      ctx.report({ setting: s, message: `REST_FRAMEWORK is not set: ${why}`, fixes: () => drfFix(ctx, [], entries, title) });
      return;
    }
    if (state.kind !== 'dict') return;
    const key = keyState(state.value, 'DEFAULT_RENDERER_CLASSES');
    if (key.kind === 'absent') {
      ctx.report({ setting: s, at: headAnchor(s), message: `REST_FRAMEWORK sets no DEFAULT_RENDERER_CLASSES: ${why}`, fixes: () => drfFix(ctx, [], entries, title) });
      return;
    }
    if (key.kind !== 'present') return;
    const items = strings(key.value);
    const browsable = items?.find((i) => lastPart(i.value) === 'BrowsableAPIRenderer');
    if (!items || !browsable) return;
    const lit = () => new LiteralEditor(ctx.edit);
    ctx.report({
      setting: s,
      at: browsable.item.src ?? key.value.src ?? headAnchor(s),
      message: `DEFAULT_RENDERER_CLASSES includes BrowsableAPIRenderer: ${why}`,
      fixes: () => (items.length > 1 ? lit().removeItem(browsable.item, 'Remove BrowsableAPIRenderer') : lit().setDictKey(s, [], 'DEFAULT_RENDERER_CLASSES', py.strs(DRF.json), title)),
    });
  },
};

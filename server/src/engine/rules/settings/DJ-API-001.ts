import { LiteralEditor, py, type Py } from '../../fixes/literalEdit';
import { DRF, dictSetting, drfFix, drfInstalled, headAnchor, keyState, lastPart, strings } from '../apiSettings';
import { whenUnset } from '../helpers';
import type { SettingsRule } from '../types';

export const rule: SettingsRule = {
  id: 'DJ-API-001',
  name: 'drf-default-permission',
  family: 'settings',
  summary: 'Django REST framework lets anonymous users call every view that sets no permission_classes',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `Django REST framework's default permission is \`AllowAny\`: a view or viewset that does not set
\`permission_classes\` itself is open to anyone, including its create, update and delete actions. One
forgotten attribute publishes data. Deny by default with \`IsAuthenticated\` and open the public views
explicitly (\`permission_classes = [AllowAny]\`). The rule runs when \`rest_framework\` is installed and
reports a missing \`REST_FRAMEWORK\`, a missing \`DEFAULT_PERMISSION_CLASSES\`, or one that is empty or
only \`AllowAny\`.

Before:
\`\`\`python
REST_FRAMEWORK = {
    "PAGE_SIZE": 50,
}
\`\`\`
After:
\`\`\`python
REST_FRAMEWORK = {
    "PAGE_SIZE": 50,
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
}
\`\`\``,
  check(ctx) {
    if (!drfInstalled(ctx)) return;
    const s = ctx.setting('REST_FRAMEWORK');
    const state = dictSetting(s);
    const entries: [string, Py][] = [['DEFAULT_PERMISSION_CLASSES', py.strs(DRF.isAuthenticated)]];
    const title = 'Require login by default (IsAuthenticated)';
    if (state.kind === 'missing') {
      ctx.report({
        setting: s,
        message: 'REST_FRAMEWORK is not set: every API view without its own permission_classes is open to anonymous users (DRF defaults to AllowAny)',
        fixes: () => drfFix(ctx, [], entries, title),
      });
      return;
    }
    if (state.kind !== 'dict') return;
    const key = keyState(state.value, 'DEFAULT_PERMISSION_CLASSES');
    if (key.kind === 'absent') {
      ctx.report({
        setting: s,
        at: headAnchor(s),
        message: 'REST_FRAMEWORK sets no DEFAULT_PERMISSION_CLASSES: every API view without its own permission_classes is open to anonymous users (DRF defaults to AllowAny)',
        fixes: () => drfFix(ctx, [], entries, title),
      });
      return;
    }
    if (key.kind !== 'present') return;
    const items = strings(key.value);
    if (!items) return;
    if (items.length > 0 && !items.every((i) => lastPart(i.value) === 'AllowAny')) return;
    const what = items.length === 0 ? 'is empty' : 'is AllowAny';
    ctx.report({
      setting: s,
      at: key.value.src ?? headAnchor(s),
      message: `DEFAULT_PERMISSION_CLASSES ${what}${whenUnset(key.value)}: every API view without its own permission_classes is open to anonymous users`,
      fixes: () => new LiteralEditor(ctx.edit).setDictKey(s, [], 'DEFAULT_PERMISSION_CLASSES', py.strs(DRF.isAuthenticated), title),
    });
  },
};

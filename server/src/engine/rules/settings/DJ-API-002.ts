import { LiteralEditor, py, type Py } from '../../fixes/literalEdit';
import { DRF, dictSetting, drfFix, drfInstalled, headAnchor, keyState, lastPart, strings } from '../apiSettings';
import type { SettingsRule } from '../types';

export const rule: SettingsRule = {
  id: 'DJ-API-002',
  name: 'drf-basic-authentication',
  family: 'settings',
  summary: 'Django REST framework accepts HTTP Basic authentication',
  defaultSeverity: 'information',
  djangoChecks: [],
  docs: `With HTTP Basic authentication every API request carries the user's password, and each request is
a free password guess that login throttles and lockouts never see. DRF enables it by default
(\`DEFAULT_AUTHENTICATION_CLASSES\` unset means Session + Basic). Reported as a hint when the list is
unset and as information when \`BasicAuthentication\` is listed. Keep session authentication for the
browser and use token or JWT authentication for API clients.

Before:
\`\`\`python
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
}
\`\`\`
After:
\`\`\`python
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
}
\`\`\``,
  check(ctx) {
    if (!drfInstalled(ctx)) return;
    const s = ctx.setting('REST_FRAMEWORK');
    const state = dictSetting(s);
    const entries: [string, Py][] = [['DEFAULT_AUTHENTICATION_CLASSES', py.strs(DRF.session)]];
    const title = 'Authenticate with sessions only (no HTTP Basic)';
    const why = 'API clients may send a password with every request, and each request is a password guess no login throttle sees';
    if (state.kind === 'missing') {
      ctx.report({ setting: s, severity: 'hint', message: `REST_FRAMEWORK is not set, so DRF accepts HTTP Basic authentication: ${why}`, fixes: () => drfFix(ctx, [], entries, title) });
      return;
    }
    if (state.kind !== 'dict') return;
    const key = keyState(state.value, 'DEFAULT_AUTHENTICATION_CLASSES');
    if (key.kind === 'absent') {
      ctx.report({
        setting: s,
        at: headAnchor(s),
        severity: 'hint',
        message: `REST_FRAMEWORK sets no DEFAULT_AUTHENTICATION_CLASSES, so DRF accepts HTTP Basic authentication: ${why}`,
        fixes: () => drfFix(ctx, [], entries, title),
      });
      return;
    }
    if (key.kind !== 'present') return;
    const items = strings(key.value);
    const basic = items?.find((i) => i.value === DRF.basic || (lastPart(i.value) === 'BasicAuthentication' && i.value.startsWith('rest_framework.')));
    if (!items || !basic) return;
    ctx.report({
      setting: s,
      at: basic.item.src ?? key.value.src ?? headAnchor(s),
      message: `DEFAULT_AUTHENTICATION_CLASSES includes BasicAuthentication: ${why}`,
      fixes: () => items.length > 1 ? new LiteralEditor(ctx.edit).removeItem(basic.item, 'Remove BasicAuthentication') : [],
    });
  },
};

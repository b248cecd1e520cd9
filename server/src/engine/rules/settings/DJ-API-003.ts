import { LiteralEditor, py, type Py } from '../../fixes/literalEdit';
import type { Fix } from '../../types';
import { DRF, defaultRate, dictSetting, drfFix, drfInstalled, headAnchor, keyState, strings } from '../apiSettings';
import type { SettingsRule } from '../types';

export const rule: SettingsRule = {
  id: 'DJ-API-003',
  name: 'drf-no-throttling',
  family: 'settings',
  summary: 'Django REST framework throttles nothing by default',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `Without \`DEFAULT_THROTTLE_CLASSES\` DRF rate-limits no request: login, signup, password reset and
every expensive endpoint can be called as fast as a client likes (brute force, scraping, cost). Set
throttles for anonymous and authenticated users, with rates, and loosen them per view where needed.
Views that set \`throttle_classes\` themselves are not looked at by this rule.

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
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": "100/hour", "user": "1000/hour"},
}
\`\`\``,
  check(ctx) {
    if (!drfInstalled(ctx)) return;
    const s = ctx.setting('REST_FRAMEWORK');
    const state = dictSetting(s);
    const classes = py.strs(DRF.anon, DRF.user);
    const rates = (scopes: string[]): Py => py.dict(...scopes.map((sc): [string, Py] => [sc, py.str(defaultRate(sc))]));
    const title = 'Throttle anonymous and authenticated API requests';
    if (state.kind === 'missing') {
      ctx.report({
        setting: s,
        message: 'REST_FRAMEWORK is not set: API requests are never rate-limited, so login and other endpoints can be brute-forced or flooded',
        fixes: () => drfFix(ctx, [], [['DEFAULT_THROTTLE_CLASSES', classes], ['DEFAULT_THROTTLE_RATES', rates(['anon', 'user'])]], title),
      });
      return;
    }
    if (state.kind !== 'dict') return;
    const key = keyState(state.value, 'DEFAULT_THROTTLE_CLASSES');
    if (key.kind === 'unknown') return;
    if (key.kind === 'present') {
      const items = strings(key.value);
      if (!items || items.length > 0) return;
    }
    const rateKey = keyState(state.value, 'DEFAULT_THROTTLE_RATES');
    const fixes = (): Fix[] => {
    const lit = new LiteralEditor(ctx.edit);
    const fixes: Fix[] = [];
    if (key.kind === 'absent') {
      const entries: [string, Py][] = [['DEFAULT_THROTTLE_CLASSES', classes]];
      if (rateKey.kind === 'absent') entries.push(['DEFAULT_THROTTLE_RATES', rates(['anon', 'user'])]);
      fixes.push(...drfFix(ctx, [], entries, title));
    } else {
      fixes.push(...lit.setDictKey(s, [], 'DEFAULT_THROTTLE_CLASSES', classes, title));
      if (rateKey.kind === 'absent') {
        const more = lit.mergeDict(s, [], [['DEFAULT_THROTTLE_RATES', rates(['anon', 'user'])]], title);
        if (fixes[0] && more[0]) fixes[0] = { ...fixes[0], edits: [...fixes[0].edits, ...more[0].edits] };
      }
    }
    // Rates that already exist keep their values; the scopes the new classes need are added.
    if (rateKey.kind === 'present' && rateKey.value.kind === 'dict' && !rateKey.value.partial && fixes[0]) {
      const missing = ['anon', 'user'].filter((sc) => keyState(rateKey.value, sc).kind === 'absent');
      const more = lit.mergeDict(s, ['DEFAULT_THROTTLE_RATES'], missing.map((sc): [string, Py] => [sc, py.str(defaultRate(sc))]), title);
      if (more[0]) fixes[0] = { ...fixes[0], edits: [...fixes[0].edits, ...more[0].edits] };
    }
    return fixes.slice(0, 1);
    };
    ctx.report({
      setting: s,
      at: key.kind === 'present' ? (key.value.src ?? headAnchor(s)) : headAnchor(s),
      message: key.kind === 'present'
        ? 'DEFAULT_THROTTLE_CLASSES is empty: API requests are never rate-limited unless a view sets throttle_classes'
        : 'REST_FRAMEWORK sets no DEFAULT_THROTTLE_CLASSES: API requests are never rate-limited unless a view sets throttle_classes',
      fixes,
    });
  },
};

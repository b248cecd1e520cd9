import { LiteralEditor, py, type Py } from '../../fixes/literalEdit';
import { pyRepr } from '../../settings/value';
import { defaultRate, dictSetting, drfFix, drfInstalled, headAnchor, keyState, lastPart, strings, throttleInfo, validDrfRate } from '../apiSettings';
import { whenUnset } from '../helpers';
import type { SettingsRule } from '../types';

export const rule: SettingsRule = {
  id: 'DJ-API-004',
  name: 'drf-throttle-rate-missing',
  family: 'settings',
  summary: 'A default throttle class has no rate for its scope, or a rate DRF cannot parse',
  defaultSeverity: 'error',
  djangoChecks: [],
  docs: `A rate-based throttle looks up \`DEFAULT_THROTTLE_RATES[scope]\` when a view runs: \`AnonRateThrottle\`
needs \`"anon"\`, \`UserRateThrottle\` needs \`"user"\`, a project throttle its \`scope\` attribute. A missing
rate raises \`ImproperlyConfigured: No default throttle rate set for '<scope>' scope\`, so every request
to every view using the default throttles fails with a 500. DRF parses a rate as
\`<number>/<period>\` and only reads the period's first letter (\`s\`, \`m\`, \`h\`, \`d\`): \`"100 per hour"\` or
\`"100/week"\` fail the same way. Project throttle classes are read from their source; classes that
override \`parse_rate\` or \`get_rate\` are trusted.

Before:
\`\`\`python
REST_FRAMEWORK = {
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": "1000/hour"},
}
\`\`\`
After:
\`\`\`python
REST_FRAMEWORK = {
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": "1000/hour", "anon": "100/hour"},
}
\`\`\``,
  check(ctx) {
    if (!drfInstalled(ctx)) return;
    const s = ctx.setting('REST_FRAMEWORK');
    const state = dictSetting(s);
    if (state.kind !== 'dict') return;
    const classesKey = keyState(state.value, 'DEFAULT_THROTTLE_CLASSES');
    if (classesKey.kind !== 'present') return;
    const classes = strings(classesKey.value);
    if (!classes) return;
    const ratesKey = keyState(state.value, 'DEFAULT_THROTTLE_RATES');
    const rates = ratesKey.kind === 'present' && ratesKey.value.kind === 'dict' && !ratesKey.value.partial ? ratesKey.value : undefined;
    const lit = new LiteralEditor(ctx.edit);
    const needed: { cls: string; at: typeof classesKey.value.src; scope: string; standardParser: boolean }[] = [];
    for (const c of classes) {
      const info = throttleInfo(ctx, c.value);
      if (!info) continue;
      if (info.rate) {
        if (info.standardParser && !validDrfRate(info.rate.value)) {
          ctx.report({
            setting: s,
            at: { file: info.rate.file, range: { start: { line: info.rate.node.startPosition.row, character: info.rate.node.startPosition.column }, end: { line: info.rate.node.endPosition.row, character: info.rate.node.endPosition.column } } },
            message: `${lastPart(c.value)}.rate ${JSON.stringify(info.rate.value)} is not a rate DRF can parse ("<number>/<s|m|h|d>", e.g. "100/hour"): its views fail on every request`,
          });
        }
        continue;
      }
      if (info.scope && !needed.some((n) => n.scope === info.scope)) needed.push({ cls: c.value, at: c.item.src, scope: info.scope, standardParser: info.standardParser });
    }
    if (ratesKey.kind === 'unknown' || (ratesKey.kind === 'present' && !rates)) return;
    const missing = needed.filter((n) => !rates || keyState(rates, n.scope).kind === 'absent');
    for (const n of missing) {
      // The edit is worked out when the fix is asked for (it reads the settings' code).
      const fixes = () =>
        rates
          ? lit.mergeDict(s, ['DEFAULT_THROTTLE_RATES'], [[n.scope, py.str(defaultRate(n.scope))]], `Add a "${n.scope}" rate of ${defaultRate(n.scope)}`)
          : drfFix(ctx, [], [['DEFAULT_THROTTLE_RATES', py.dict(...missing.map((m): [string, Py] => [m.scope, py.str(defaultRate(m.scope))]))]], 'Add DEFAULT_THROTTLE_RATES for the throttle scopes');
      ctx.report({
        setting: s,
        at: n.at ?? headAnchor(s),
        message: `DEFAULT_THROTTLE_RATES has no rate for the "${n.scope}" scope of ${lastPart(n.cls)}: every API request raises ImproperlyConfigured (HTTP 500)`,
        fixes: () => fixes().slice(0, 1),
      });
    }
    if (!rates) return;
    for (const n of needed) {
      if (!n.standardParser) continue;
      const rate = keyState(rates, n.scope);
      if (rate.kind !== 'present' || rate.value.kind !== 'str' || validDrfRate(rate.value.value)) continue;
      ctx.report({
        setting: s,
        at: rate.value.src ?? headAnchor(s),
        message: `The "${n.scope}" rate ${pyRepr(rate.value)}${whenUnset(rate.value)} is not a rate DRF can parse ("<number>/<s|m|h|d>", e.g. "100/hour"): every API request fails`,
      });
    }
  },
};

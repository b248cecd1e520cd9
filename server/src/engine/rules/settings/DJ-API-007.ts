import type { SyntaxNode } from '../../parsing/syntax';
import { LiteralEditor, py } from '../../fixes/literalEdit';
import { truthy, type Value } from '../../settings/value';
import { dictSetting, headAnchor, keyState } from '../apiSettings';
import { hasApp } from '../helpers';
import type { SettingsContext, SettingsRule } from '../types';

const BLACKLIST_APP = 'rest_framework_simplejwt.token_blacklist';
const HOUR = 3600;
const DAY = 24 * HOUR;

export const rule: SettingsRule = {
  id: 'DJ-API-007',
  name: 'simplejwt-token-lifetimes',
  family: 'settings',
  summary: 'SimpleJWT access tokens live long, refresh tokens do not rotate, or blacklisting cannot work',
  defaultSeverity: 'information',
  djangoChecks: [],
  docs: `A JWT cannot be revoked before it expires: a stolen access token works for its whole
\`ACCESS_TOKEN_LIFETIME\` (information above one hour; SimpleJWT's default is 5 minutes). A long
\`REFRESH_TOKEN_LIFETIME\` (over 7 days) without \`ROTATE_REFRESH_TOKENS\` lets one leaked refresh token mint
access tokens for that long (hint). \`BLACKLIST_AFTER_ROTATION\` without the
\`rest_framework_simplejwt.token_blacklist\` app does nothing: SimpleJWT silently skips the blacklist, and
rotated refresh tokens stay valid (warning; the fix adds the app, then run \`migrate\`).

Before:
\`\`\`python
SIMPLE_JWT = {"ACCESS_TOKEN_LIFETIME": timedelta(days=1)}
\`\`\`
After:
\`\`\`python
SIMPLE_JWT = {"ACCESS_TOKEN_LIFETIME": timedelta(minutes=15)}
\`\`\``,
  check(ctx) {
    const s = ctx.setting('SIMPLE_JWT');
    const state = dictSetting(s);
    if (state.kind !== 'dict') return;
    const d = state.value;
    const lit = new LiteralEditor(ctx.edit);
    const access = keyState(d, 'ACCESS_TOKEN_LIFETIME');
    if (access.kind === 'present') {
      const life = duration(ctx, access.value);
      if (life && life.seconds > HOUR) {
        ctx.report({
          setting: s,
          at: access.value.src ?? headAnchor(s),
          message: `ACCESS_TOKEN_LIFETIME is ${human(life.seconds)}: a stolen access token works that long and cannot be revoked`,
          fixes: () => lit.setDictKey(s, [], 'ACCESS_TOKEN_LIFETIME', py.raw(`${life.callee}(minutes=15)`), 'Expire access tokens after 15 minutes'),
        });
      }
    }
    const rotate = keyState(d, 'ROTATE_REFRESH_TOKENS');
    const rotating = rotate.kind === 'absent' ? false : rotate.kind === 'present' ? truthy(rotate.value) : undefined;
    const refresh = keyState(d, 'REFRESH_TOKEN_LIFETIME');
    if (refresh.kind === 'present' && rotating === false) {
      const life = duration(ctx, refresh.value);
      if (life && life.seconds > 7 * DAY) {
        ctx.report({
          setting: s,
          at: refresh.value.src ?? headAnchor(s),
          severity: 'hint',
          message: `REFRESH_TOKEN_LIFETIME is ${human(life.seconds)} and ROTATE_REFRESH_TOKENS is off: one leaked refresh token mints access tokens for ${human(life.seconds)}`,
          fixes: () => lit.setDictKey(s, [], 'ROTATE_REFRESH_TOKENS', py.raw('True'), 'Rotate refresh tokens'),
        });
      }
    }
    const blacklist = keyState(d, 'BLACKLIST_AFTER_ROTATION');
    if (blacklist.kind === 'present' && truthy(blacklist.value) === true && rotating === true && hasApp(ctx, BLACKLIST_APP) === false) {
      const apps = ctx.setting('INSTALLED_APPS');
      ctx.report({
        setting: s,
        at: blacklist.value.src ?? headAnchor(s),
        severity: 'warning',
        message: `BLACKLIST_AFTER_ROTATION is on but ${BLACKLIST_APP} is not installed: SimpleJWT silently skips the blacklist and rotated refresh tokens stay valid`,
        fixes: () => lit.insertItems(apps, [py.str(BLACKLIST_APP)], `Install ${BLACKLIST_APP} (then run migrate)`).map((f) => ({ ...f, safe: false })),
      });
    }
  },
};

/** A `timedelta(...)` written in the settings, in seconds, with the callee text to reuse. */
function duration(ctx: SettingsContext, v: Value): { seconds: number; callee: string } | undefined {
  const at = new LiteralEditor(ctx.edit).nodeOf(v);
  const call = at?.node;
  if (!call || call.type !== 'call') return undefined;
  const callee = call.childForFieldName('function')?.text ?? '';
  if (!/(^|\.)timedelta$/.test(callee)) return undefined;
  const units: Record<string, number> = { weeks: 7 * DAY, days: DAY, hours: HOUR, minutes: 60, seconds: 1, milliseconds: 0.001, microseconds: 0.000001 };
  const positional = ['days', 'seconds', 'microseconds', 'milliseconds', 'minutes', 'hours', 'weeks'];
  let seconds = 0;
  let index = 0;
  for (const arg of call.childForFieldName('arguments')?.namedChildren ?? []) {
    if (arg.type === 'comment') continue;
    let unit: string | undefined;
    let expr: SyntaxNode | null = arg;
    if (arg.type === 'keyword_argument') {
      unit = arg.childForFieldName('name')?.text;
      expr = arg.childForFieldName('value');
    } else unit = positional[index++];
    const n = expr ? number(expr) : undefined;
    if (!unit || units[unit] === undefined || n === undefined) return undefined;
    seconds += n * units[unit]!;
  }
  return { seconds, callee };
}

function number(node: SyntaxNode): number | undefined {
  switch (node.type) {
    case 'integer':
    case 'float': {
      const n = Number(node.text.replace(/_/g, ''));
      return Number.isFinite(n) ? n : undefined;
    }
    case 'parenthesized_expression':
      return node.namedChildren[0] ? number(node.namedChildren[0]) : undefined;
    case 'unary_operator': {
      const n = node.childForFieldName('argument');
      const v = n ? number(n) : undefined;
      return v === undefined ? undefined : node.text.trim().startsWith('-') ? -v : v;
    }
    case 'binary_operator': {
      const l = node.childForFieldName('left');
      const r = node.childForFieldName('right');
      const a = l ? number(l) : undefined;
      const b = r ? number(r) : undefined;
      if (a === undefined || b === undefined) return undefined;
      switch (node.childForFieldName('operator')?.text) {
        case '+':
          return a + b;
        case '-':
          return a - b;
        case '*':
          return a * b;
        case '/':
          return b === 0 ? undefined : a / b;
        case '//':
          return b === 0 ? undefined : Math.floor(a / b);
        default:
          return undefined;
      }
    }
    default:
      return undefined;
  }
}

function human(seconds: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (seconds % DAY === 0) return plural(seconds / DAY, 'day');
  if (seconds % HOUR === 0) return plural(seconds / HOUR, 'hour');
  if (seconds % 60 === 0) return plural(seconds / 60, 'minute');
  return plural(Math.round(seconds), 'second');
}

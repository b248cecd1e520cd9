import { LiteralEditor, py } from '../../fixes/literalEdit';
import { dictGetStr, isSequence, type Value } from '../../settings/value';
import { headAnchor } from '../apiSettings';
import { hasApp, whenUnset } from '../helpers';
import type { SettingsRule } from '../types';

const V = 'django.contrib.auth.password_validation';
const MIN_LENGTH = 12;

export const rule: SettingsRule = {
  id: 'DJ-SEC-044',
  name: 'password-min-length',
  family: 'settings',
  summary: 'Password validators allow short passwords or skip the common-password checks',
  defaultSeverity: 'information',
  djangoChecks: [],
  docs: `\`MinimumLengthValidator\` accepts 8 characters unless told otherwise; current guidance (NIST SP 800-63B,
OWASP) is a longer minimum, and 12 is the common production choice. Information when the minimum is
below 12 or there is no length validator; a hint when \`CommonPasswordValidator\` (the 20,000 most common
passwords) or \`UserAttributeSimilarityValidator\` (passwords like the username or email) is missing. Lists
that include the project's own validators are only checked for the minimum length.

Before:
\`\`\`python
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
\`\`\`
After:
\`\`\`python
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]
\`\`\``,
  check(ctx) {
    if (hasApp(ctx, 'django.contrib.auth') !== true) return;
    const s = ctx.setting('AUTH_PASSWORD_VALIDATORS');
    const v = s.value;
    if (!isSequence(v) || v.partial || v.items.length === 0) return;
    const lit = new LiteralEditor(ctx.edit);
    const names = v.items.map((item) => {
      const name = item.kind === 'dict' ? dictGetStr(item, 'NAME') : undefined;
      return { item, name: name?.kind === 'str' ? name.value : undefined };
    });
    const ours = names.every((n) => n.name?.startsWith(`${V}.`));
    const find = (cls: string) => names.find((n) => n.name === `${V}.${cls}`);
    const append = (cls: string, title: string, options?: boolean) =>
      lit.insertItems(s, [options ? py.dict(['NAME', py.str(`${V}.${cls}`)], ['OPTIONS', py.dict(['min_length', py.raw(String(MIN_LENGTH))])]) : py.dict(['NAME', py.str(`${V}.${cls}`)])], title);
    const minimum = find('MinimumLengthValidator');
    if (!minimum) {
      if (ours) {
        ctx.report({
          setting: s,
          at: headAnchor(s),
          message: 'AUTH_PASSWORD_VALIDATORS has no MinimumLengthValidator: a one-character password passes',
          fixes: () => append('MinimumLengthValidator', `Require ${MIN_LENGTH} characters`, true),
        });
      }
    } else {
      const options = minimum.item.kind === 'dict' ? dictGetStr(minimum.item, 'OPTIONS') : undefined;
      const given: Value | undefined = options?.kind === 'dict' ? dictGetStr(options, 'min_length') : undefined;
      const length = options === undefined || (options.kind === 'dict' && !options.partial && given === undefined) ? 8 : given?.kind === 'int' ? given.value : undefined;
      if (length !== undefined && length < MIN_LENGTH) {
        const title = `Require ${MIN_LENGTH} characters`;
        const fixes = () => (given?.env ? lit.replaceFallback(given, String(MIN_LENGTH), title) : lit.setInItem(minimum.item, ['OPTIONS'], 'min_length', py.raw(String(MIN_LENGTH)), title));
        ctx.report({
          setting: s,
          at: given?.env?.fallback ?? given?.src ?? minimum.item.src,
          message: `MinimumLengthValidator accepts ${length}-character passwords${given ? whenUnset(given) : ' (the default)'}: ask for at least ${MIN_LENGTH}`,
          fixes,
        });
      }
    }
    if (!ours) return;
    for (const [cls, what] of [
      ['CommonPasswordValidator', 'the 20,000 most common passwords are accepted'],
      ['UserAttributeSimilarityValidator', 'passwords like the username or email are accepted'],
    ] as const) {
      if (find(cls)) continue;
      ctx.report({ setting: s, at: headAnchor(s), severity: 'hint', message: `AUTH_PASSWORD_VALIDATORS has no ${cls}: ${what}`, fixes: () => append(cls, `Add ${cls}`) });
    }
  },
};

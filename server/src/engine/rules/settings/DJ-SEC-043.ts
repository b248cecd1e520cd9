import { LiteralEditor, py, type Py } from '../../fixes/literalEdit';
import { isSequence } from '../../settings/value';
import { hasApp } from '../helpers';
import type { SettingsRule } from '../types';

const V = 'django.contrib.auth.password_validation';

/** Django's four validators, with a 12-character minimum (spec Q9). */
function passwordValidators(): Py {
  return py.list(
    py.dict(['NAME', py.str(`${V}.UserAttributeSimilarityValidator`)]),
    py.dict(['NAME', py.str(`${V}.MinimumLengthValidator`)], ['OPTIONS', py.dict(['min_length', py.raw('12')])]),
    py.dict(['NAME', py.str(`${V}.CommonPasswordValidator`)]),
    py.dict(['NAME', py.str(`${V}.NumericPasswordValidator`)]),
  );
}

export const rule: SettingsRule = {
  id: 'DJ-SEC-043',
  name: 'password-validators-missing',
  family: 'settings',
  summary: 'AUTH_PASSWORD_VALIDATORS is empty: any password is accepted',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `Django's default \`AUTH_PASSWORD_VALIDATORS\` is an empty list: without it users (and admins) can pick
\`1\`, \`password\` or their username, and credential stuffing succeeds on the first try. \`startproject\`
writes four validators into new projects; settings written by hand often lose them. The fix adds them
with a 12-character minimum.

Before:
\`\`\`python
AUTH_PASSWORD_VALIDATORS = []
\`\`\`
After:
\`\`\`python
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
\`\`\``,
  check(ctx) {
    if (hasApp(ctx, 'django.contrib.auth') !== true) return;
    const s = ctx.setting('AUTH_PASSWORD_VALIDATORS');
    const v = s.value;
    if (v.env || !isSequence(v) || v.partial || v.items.length > 0) return;
    ctx.report({
      setting: s,
      message: `${s.isDefault ? 'AUTH_PASSWORD_VALIDATORS is not set' : 'AUTH_PASSWORD_VALIDATORS is empty'}: users can choose any password, even "1" or their username`,
      fixes: () => new LiteralEditor(ctx.edit).setValue(s, passwordValidators(), 'Add Django\'s password validators (12 characters minimum)'),
    });
  },
};

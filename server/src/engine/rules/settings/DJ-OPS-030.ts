import { dictGetStr, isSequence, truthy } from '../../settings/value';
import type { SettingsRule } from '../types';

export const rule: SettingsRule = {
  id: 'DJ-OPS-030',
  name: 'templates-config',
  family: 'settings',
  summary: 'A TEMPLATES engine sets both APP_DIRS and loaders, or a non-string string_if_invalid',
  defaultSeverity: 'error',
  djangoChecks: ['templates.E001', 'templates.E002'],
  docs: `Django refuses a DjangoTemplates engine with \`APP_DIRS: True\` and an explicit \`loaders\` option (the two
both decide where templates come from: drop \`APP_DIRS\` and add the app directories loader to
\`loaders\`), and a \`string_if_invalid\` that is not a string.

Before:
\`\`\`python
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True,
              "OPTIONS": {"loaders": ["django.template.loaders.filesystem.Loader"]}}]
\`\`\`
After:
\`\`\`python
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates",
              "OPTIONS": {"loaders": ["django.template.loaders.filesystem.Loader",
                                      "django.template.loaders.app_directories.Loader"]}}]
\`\`\``,
  check(ctx) {
    const templates = ctx.setting('TEMPLATES');
    const t = templates.value;
    if (!isSequence(t)) return;
    t.items.forEach((engine, index) => {
      const options = dictGetStr(engine, 'OPTIONS');
      const appDirs = dictGetStr(engine, 'APP_DIRS');
      const loaders = options ? dictGetStr(options, 'loaders') : undefined;
      if (appDirs && truthy(appDirs) === true && loaders) {
        ctx.report({ setting: templates, at: appDirs.src ?? templates.binding?.rhs, message: `TEMPLATES[${index}] sets APP_DIRS and "loaders": Django accepts only one of them`, djangoChecks: ['templates.E001'] });
      }
      const backend = dictGetStr(engine, 'BACKEND');
      const invalid = options ? dictGetStr(options, 'string_if_invalid') : undefined;
      if (backend?.kind === 'str' && backend.value === 'django.template.backends.django.DjangoTemplates' && invalid && invalid.kind !== 'str' && invalid.kind !== 'unknown') {
        ctx.report({ setting: templates, at: invalid.src ?? templates.binding?.rhs, message: `TEMPLATES[${index}] "string_if_invalid" must be a string`, djangoChecks: ['templates.E002'] });
      }
    });
  },
};

import { dictGetStr, isSequence, stringItems, type Value } from '../../settings/value';
import { middlewareInsertFix } from '../middlewareFix';
import type { SettingsContext, SettingsRule } from '../types';

const DJANGO_TEMPLATES = 'django.template.backends.django.DjangoTemplates';

/** Is an app installed, the way `apps.is_installed` sees it (app module or its AppConfig path)? */
function installed(apps: string[], app: string): boolean {
  return apps.some((a) => a === app || a.startsWith(`${app}.apps.`));
}

/**
 * Django accepts subclasses of the required middleware. A MIDDLEWARE entry outside django.* could
 * be one, so only a list made entirely of Django's own middleware proves one is missing.
 */
function middlewareMissing(mw: string[], path: string): boolean {
  return !mw.includes(path) && mw.every((m) => m.startsWith('django.'));
}

export const rule: SettingsRule = {
  id: 'DJ-OPS-029',
  name: 'admin-dependencies',
  family: 'settings',
  summary: 'django.contrib.admin is installed without the apps, middleware or template setup it needs',
  defaultSeverity: 'error',
  djangoChecks: ['admin.E401', 'admin.E402', 'admin.E403', 'admin.E404', 'admin.E405', 'admin.E406', 'admin.E408', 'admin.E409', 'admin.E410', 'admin.W411'],
  docs: `The admin needs contenttypes, auth and messages in \`INSTALLED_APPS\`, the session, authentication and
message middleware, and a DjangoTemplates engine with the auth and messages context processors (and
\`request\` for its navigation sidebar). Django refuses to start without them (admin.E401–E410).

Before:
\`\`\`python
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "django.middleware.common.CommonMiddleware"]
\`\`\`
After:
\`\`\`python
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
\`\`\``,
  check(ctx) {
    const apps = stringItems(ctx.setting('INSTALLED_APPS').value);
    if (!apps || !installed(apps, 'django.contrib.admin')) return;
    const appsSetting = ctx.setting('INSTALLED_APPS');
    for (const [app, code] of [['django.contrib.contenttypes', 'E401'], ['django.contrib.auth', 'E405'], ['django.contrib.messages', 'E406']] as const) {
      if (!installed(apps, app)) {
        ctx.report({ setting: appsSetting, message: `The admin needs "${app}" in INSTALLED_APPS`, djangoChecks: [`admin.${code}`] });
      }
    }
    checkTemplates(ctx);
    const mwSetting = ctx.setting('MIDDLEWARE');
    const mw = stringItems(mwSetting.value);
    if (!mw) return;
    const required: [string, string][] = [
      ['django.contrib.auth.middleware.AuthenticationMiddleware', 'E408'],
      ['django.contrib.messages.middleware.MessageMiddleware', 'E409'],
      ['django.contrib.sessions.middleware.SessionMiddleware', 'E410'],
    ];
    for (const [path, code] of required) {
      if (!middlewareMissing(mw, path)) continue;
      const short = path.split('.').pop();
      ctx.report({
        setting: mwSetting,
        message: `The admin needs ${short} in MIDDLEWARE`,
        djangoChecks: [`admin.${code}`],
        fixes: () => middlewareInsertFix(ctx, path, code === 'E410' ? { after: ['django.middleware.security.SecurityMiddleware'] } : { after: code === 'E409' ? ['django.contrib.auth.middleware.AuthenticationMiddleware', 'django.middleware.csrf.CsrfViewMiddleware'] : ['django.middleware.csrf.CsrfViewMiddleware', 'django.contrib.sessions.middleware.SessionMiddleware'] }),
      });
    }
  },
};

function checkTemplates(ctx: SettingsContext): void {
  const templates = ctx.setting('TEMPLATES');
  const t = templates.value;
  if (t.kind === 'unknown' || (isSequence(t) && t.partial)) return;
  const engines: Value[] = isSequence(t) ? t.items : [];
  const django = engines.find((e) => {
    const backend = dictGetStr(e, 'BACKEND');
    return backend?.kind === 'str' && backend.value === DJANGO_TEMPLATES;
  });
  // Engines with unknown backends might be DjangoTemplates subclasses: say nothing.
  if (engines.some((e) => dictGetStr(e, 'BACKEND')?.kind !== 'str')) return;
  if (!django) {
    ctx.report({ setting: templates, message: 'The admin needs a DjangoTemplates engine in TEMPLATES', djangoChecks: ['admin.E403'] });
    return;
  }
  const options = dictGetStr(django, 'OPTIONS');
  const processorsValue = options ? dictGetStr(options, 'context_processors') : undefined;
  const processors = processorsValue ? stringItems(processorsValue) : [];
  if (!processors) return;
  const backends = stringItems(ctx.setting('AUTHENTICATION_BACKENDS').value) ?? ['django.contrib.auth.backends.ModelBackend'];
  const at = processorsValue?.src ?? templates.binding?.rhs;
  if (!processors.includes('django.contrib.auth.context_processors.auth') && backends.includes('django.contrib.auth.backends.ModelBackend')) {
    ctx.report({ setting: templates, at, message: 'The admin needs "django.contrib.auth.context_processors.auth" in the DjangoTemplates context_processors', djangoChecks: ['admin.E402'] });
  }
  if (!processors.includes('django.contrib.messages.context_processors.messages')) {
    ctx.report({ setting: templates, at, message: 'The admin needs "django.contrib.messages.context_processors.messages" in the DjangoTemplates context_processors', djangoChecks: ['admin.E404'] });
  }
  if (!processors.includes('django.template.context_processors.request')) {
    ctx.report({ setting: templates, at, severity: 'warning', message: 'The admin navigation sidebar needs "django.template.context_processors.request" in the DjangoTemplates context_processors', djangoChecks: ['admin.W411'] });
  }
}

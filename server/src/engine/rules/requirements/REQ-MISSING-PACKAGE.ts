import { basename } from 'node:path';
import { models, projectPythonFiles } from '../../deploy/context';
import { moduleFile } from '../../project/model';
import { pinFor } from '../../requirements/rulekit';
import { isSequence, type Value } from '../../settings/value';
import type { Location } from '../../types';
import type { ProjectRule } from '../types';
import { prefilters } from '../../textMemo';
import { mentionedOnImportLines } from '../../views/imports';
import { relativePosix } from '../../workspace';

/** Import name → distribution, and distributions that also provide it. */
const PROVIDERS: Record<string, { dist: string; also?: string[] }> = {
  whitenoise: { dist: 'whitenoise' },
  sentry_sdk: { dist: 'sentry-sdk' },
  django_ratelimit: { dist: 'django-ratelimit' },
  ratelimit: { dist: 'django-ratelimit' },
  corsheaders: { dist: 'django-cors-headers' },
  django_redis: { dist: 'django-redis' },
  redis: { dist: 'redis', also: ['django-redis', 'channels-redis', 'celery', 'rq', 'django-rq', 'django-celery-results'] },
  dj_database_url: { dist: 'dj-database-url' },
  environ: { dist: 'django-environ' },
  environs: { dist: 'environs' },
  decouple: { dist: 'python-decouple' },
  dotenv: { dist: 'python-dotenv', also: ['uvicorn'] },
  storages: { dist: 'django-storages' },
  rest_framework: { dist: 'djangorestframework', also: ['djangorestframework-simplejwt', 'drf-spectacular', 'django-filter'] },
  rest_framework_simplejwt: { dist: 'djangorestframework-simplejwt' },
  drf_spectacular: { dist: 'drf-spectacular' },
  django_filters: { dist: 'django-filter' },
  channels: { dist: 'channels', also: ['channels-redis', 'daphne'] },
  daphne: { dist: 'daphne' },
  celery: { dist: 'celery', also: ['django-celery-beat', 'django-celery-results'] },
  django_celery_beat: { dist: 'django-celery-beat' },
  django_celery_results: { dist: 'django-celery-results' },
  health_check: { dist: 'django-health-check' },
  pythonjsonlogger: { dist: 'python-json-logger' },
  allauth: { dist: 'django-allauth' },
  crispy_forms: { dist: 'django-crispy-forms' },
  import_export: { dist: 'django-import-export' },
  cloudinary: { dist: 'cloudinary', also: ['django-cloudinary-storage'] },
  cloudinary_storage: { dist: 'django-cloudinary-storage' },
  anymail: { dist: 'django-anymail' },
  csp: { dist: 'django-csp' },
  axes: { dist: 'django-axes' },
  argon2: { dist: 'argon2-cffi', also: ['django'] },
  taggit: { dist: 'django-taggit' },
  simple_history: { dist: 'django-simple-history' },
  guardian: { dist: 'django-guardian' },
  phonenumber_field: { dist: 'django-phonenumber-field' },
  razorpay: { dist: 'razorpay' },
  stripe: { dist: 'stripe' },
  firebase_admin: { dist: 'firebase-admin' },
  boto3: { dist: 'boto3', also: ['django-storages'] },
  PIL: { dist: 'Pillow' },
};

/**
 * Text pre-check: a module whose import lines name no provided package has no import this rule
 * counts (mentionedOnImportLines; a scan of the whole text cost ten times as much).
 */
const MENTIONS_PROVIDER = new RegExp(`\\b(${Object.keys(PROVIDERS).map((m) => m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})\\b`);
const importsProvider = (text: string) => (mentionedOnImportLines(text, MENTIONS_PROVIDER) ? 'y' : 'n');

/** Settings whose string values name modules to import. */
const MODULE_SETTINGS = ['INSTALLED_APPS', 'MIDDLEWARE', 'STATICFILES_STORAGE', 'DEFAULT_FILE_STORAGE', 'EMAIL_BACKEND', 'SESSION_ENGINE', 'AUTHENTICATION_BACKENDS', 'PASSWORD_HASHERS'];

function strings(v: Value | undefined, out: { text: string; src?: Location }[] = [], depth = 0): { text: string; src?: Location }[] {
  if (!v || depth > 4) return out;
  if (v.kind === 'str') out.push({ text: v.value, src: v.src });
  else if (isSequence(v)) for (const i of v.items) strings(i, out, depth + 1);
  else if (v.kind === 'dict') for (const e of v.entries) strings(e.value, out, depth + 1);
  return out;
}

function isTestOrDevFile(rel: string): boolean {
  // `tests.py` is the test module `startapp` creates in every app.
  return /(^|\/)(tests?|testing|tests?\.py|conftest\.py|test_[^/]*\.py|[^/]*_tests?\.py)($|\/)/.test(rel) || /(^|\/)settings\/(local|dev|development|test|testing|ci)\.py$/.test(rel) || /(^|\/)(local|dev|test)_settings\.py$/.test(rel);
}

/** Project modules outside tests and dev tooling, per file list (the same array until files change). */
const codeFilesMemo = new WeakMap<string[], string[]>();
function codeFiles(ctx: Parameters<ProjectRule['check']>[0]): string[] {
  const all = projectPythonFiles(ctx);
  let files = codeFilesMemo.get(all);
  if (!files) codeFilesMemo.set(all, (files = all.filter((f) => !isTestOrDevFile(relativePosix(ctx.project.root, f)))));
  return files;
}

export const rule: ProjectRule = {
  id: 'REQ-MISSING-PACKAGE',
  name: 'used-package-not-installed',
  family: 'project',
  summary: 'Settings or code use a package the production requirements do not install',
  defaultSeverity: 'error',
  djangoChecks: [],
  docs: `The production settings reference a third-party package — whitenoise middleware, corsheaders in
INSTALLED_APPS, a django-redis or redis cache backend, \`import sentry_sdk\` — or application code
imports one (\`from django_ratelimit.decorators import ratelimit\`), but no production dependency
file declares it. The image then fails at startup with ModuleNotFoundError (or the package only
works on the developer's machine). Imports inside \`try:\` blocks, test files and dev settings are
not counted; local packages of the same name are recognised.

Before:
\`\`\`python
MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "whitenoise.middleware.WhiteNoiseMiddleware"]
\`\`\`
After (requirements.txt):
\`\`\`
whitenoise==6.8.2
\`\`\``,
  check(ctx) {
    const { deps } = models(ctx);
    if (!deps.readable) return;
    const uses = new Map<string, { module: string; where: Location; via: string }>();
    const local = (mod: string) => !!moduleFile(ctx.fs, ctx.project.importRoots, mod);
    const note = (mod: string, where: Location | undefined, via: string) => {
      const p = PROVIDERS[mod];
      if (!p || !where || uses.has(p.dist) || local(mod)) return;
      if (deps.inProduction(p.dist, ...(p.also ?? []))) return;
      uses.set(p.dist, { module: mod, where, via });
    };
    const profile = ctx.profile;
    if (profile) {
      for (const name of [...MODULE_SETTINGS, 'CACHES', 'STORAGES']) {
        const s = profile.setting(name);
        if (s.isDefault) continue;
        for (const item of strings(s.value)) {
          if (!/^[A-Za-z_][\w]*(\.[\w]+)*$/.test(item.text)) continue;
          // CACHES/STORAGES hold other strings (LOCATION...); only dotted backends count.
          if ((name === 'CACHES' || name === 'STORAGES') && !item.text.includes('.')) continue;
          note(item.text.split('.')[0]!, item.src ?? s.binding?.rhs, name);
        }
      }
    }
    const settingsFiles = new Set(profile?.filesRead ?? []);
    const files = [...settingsFiles, ...codeFiles(ctx).filter((f) => !settingsFiles.has(f))];
    // Parse only files that mention a package we know how to provide: on a large project almost
    // none do, and parsing every module would dominate the analysis.
    for (const file of files) {
      if (ctx.project.settingsModules.some((m) => m.path === file && (m.role === 'dev' || m.role === 'test'))) continue;
      if (prefilters.enabled && ctx.derived(file, 'imports-provider', importsProvider) !== 'y') continue;
      for (const imp of ctx.imports(file)) {
        if (imp.optional) continue;
        note(imp.module, { file, range: imp.range }, `import in ${basename(file)}`);
      }
    }
    for (const [dist, use] of uses) {
      const version = pinFor(dist.toLowerCase());
      const edits = deps.addEdits(dist, version, PROVIDERS[use.module]!.also ?? []);
      ctx.report({
        ...use.where,
        message: `${use.module} comes from ${dist}, which no production requirements file installs (${use.via}): the app fails with ModuleNotFoundError`,
        fixes: () => edits.length ? [{ title: `Add ${dist}${version ? `==${version}` : ''} to the production requirements`, edits, safe: true }] : [],
      });
    }
  },
};

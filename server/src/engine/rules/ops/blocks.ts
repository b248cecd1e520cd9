// The blocks DJ-OPS quick fixes insert (spec §b.4 Q2, Q3, Q6, Q10), written in the module's env
// idiom and quote style. Builders are deterministic: two rules that insert the same block at the
// same place produce identical edits, which "fix all" applies once.
import type { TextEdit } from '../../types';
import type { SettingsContext } from '../types';
import { type Code, baseDirPath, envFloat, envGet, insertNear, prodRoot, styled, versionAtLeast } from './support';

// ------------------------------------------------------------------ Q2 LOGGING

export type LoggingVariant = 'file' | 'console' | 'json';

export interface Lines {
  lines: string[];
  imports: string[];
}

/** Lines of the LOGGING block, or undefined when the variant cannot be written here (no BASE_DIR). */
export function loggingLines(ctx: SettingsContext, variant: LoggingVariant, projectLoggers: string[]): Lines | undefined {
  const imports: string[] = [];
  const lines: string[] = [];
  const withFile = variant !== 'console';
  let filename = '';
  if (withFile) {
    const taken = !!ctx.profile.setting('LOG_DIR').binding;
    const dirName = taken ? 'DJANGO_LOG_DIR' : 'LOG_DIR';
    const dir = baseDirPath(ctx, 'logs');
    if (!dir) return undefined;
    imports.push(...dir.imports);
    lines.push(`${dirName} = ${dir.text}`);
    if (dir.kind === 'path') {
      lines.push(`${dirName}.mkdir(exist_ok=True)`);
      filename = `${dirName} / "django.log"`;
    } else {
      lines.push(`os.makedirs(${dirName}, exist_ok=True)`);
      filename = `os.path.join(${dirName}, "django.log")`;
    }
  }
  const formatter = variant === 'json' ? 'json' : 'verbose';
  const handlers = withFile ? '["console", "file"]' : '["console"]';
  lines.push(
    'LOGGING = {',
    '    "version": 1,',
    '    "disable_existing_loggers": False,',
    '    "formatters": {',
    variant === 'json'
      ? '        "json": {"()": "pythonjsonlogger.json.JsonFormatter", "format": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s"},'
      : '        "verbose": {"format": "{levelname} {asctime} {name} {process:d} {message}", "style": "{"},',
    '    },',
    '    "handlers": {',
    `        "console": {"class": "logging.StreamHandler", "formatter": "${formatter}"},`,
  );
  if (withFile) {
    lines.push(
      '        "file": {',
      '            "class": "logging.handlers.RotatingFileHandler",',
      `            "filename": ${filename},`,
      '            "maxBytes": 10 * 1024 * 1024,',
      '            "backupCount": 5,',
      `            "formatter": "${formatter}",`,
      '        },',
    );
  }
  lines.push('    },', `    "root": {"handlers": ${handlers}, "level": "INFO"},`, '    "loggers": {');
  for (const name of ['django', ...projectLoggers.filter((p) => p !== 'django')]) {
    lines.push(`        "${name}": {"handlers": ${handlers}, "level": "INFO", "propagate": False},`);
  }
  lines.push('    },', '}');
  const comment =
    variant === 'console'
      ? '# Logging to the console; the platform collects it (django-readiness)'
      : variant === 'json'
        ? '# JSON logs to the console and a rotating file in logs/ (django-readiness)'
        : '# Logging to the console and a rotating file in logs/ (django-readiness)';
  return { lines: ['', comment, ...styled(ctx, lines)], imports };
}

// ------------------------------------------------------------------ Q3 Sentry

/** Does the module import `name` at its top level (`import sentry_sdk`, `from x import Y`)? */
function topLevelImport(ctx: SettingsContext, statement: string): boolean {
  const root = prodRoot(ctx);
  if (!root) return false;
  const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
  return root.namedChildren.some((s) => !!s && (s.type === 'import_statement' || s.type === 'import_from_statement') && norm(s.text) === norm(statement));
}

export function sentryLines(ctx: SettingsContext): Lines {
  const dsnDefined = !!ctx.profile.setting('SENTRY_DSN').binding;
  const dsn = envGet(ctx.edit, 'SENTRY_DSN');
  const environment = envGet(ctx.edit, 'SENTRY_ENVIRONMENT', '"production"');
  const rate = envFloat(ctx.edit, 'SENTRY_TRACES_SAMPLE_RATE', 0.1);
  const lines = ['', '# Error reporting to Sentry, on when SENTRY_DSN is set (django-readiness)'];
  if (!dsnDefined) lines.push(`SENTRY_DSN = ${dsn.text}`);
  lines.push('if SENTRY_DSN:');
  // Imported only when used: a settings module without sentry-sdk installed still loads.
  if (!topLevelImport(ctx, 'import sentry_sdk')) lines.push('    import sentry_sdk');
  if (!topLevelImport(ctx, 'from sentry_sdk.integrations.django import DjangoIntegration')) lines.push('    from sentry_sdk.integrations.django import DjangoIntegration');
  lines.push(
    '',
    '    sentry_sdk.init(',
    '        dsn=SENTRY_DSN,',
    '        integrations=[DjangoIntegration()],',
    `        environment=${environment.text},`,
    `        traces_sample_rate=${rate.text},`,
    '        send_default_pii=False,',
    '    )',
  );
  const imports = [...new Set([...(dsnDefined ? [] : dsn.imports), ...environment.imports, ...rate.imports])];
  return { lines: styled(ctx, lines), imports };
}

// ------------------------------------------------------------------ Q6 shared cache

export interface CacheChoice {
  djangoRedis: boolean;
  requirement: string;
}

/** django-redis when django-ratelimit is used (its checks accept only that Redis backend) or Django < 4.0. */
export function cacheChoice(ctx: SettingsContext, usesRatelimit: boolean): CacheChoice {
  const djangoRedis = usesRatelimit || !versionAtLeast(ctx, 4, 0);
  return { djangoRedis, requirement: djangoRedis ? 'django-redis' : 'redis' };
}

export function cachesValue(ctx: SettingsContext, choice: CacheChoice): Code {
  const location = envGet(ctx.edit, 'REDIS_URL', '"redis://127.0.0.1:6379/1"');
  const lines = ['{', '    "default": {'];
  lines.push(choice.djangoRedis ? '        "BACKEND": "django_redis.cache.RedisCache",' : '        "BACKEND": "django.core.cache.backends.redis.RedisCache",');
  lines.push(`        "LOCATION": ${location.text},`);
  if (choice.djangoRedis) lines.push('        "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},');
  lines.push('    }', '}');
  return { text: styled(ctx, lines).join('\n'), imports: location.imports };
}

/**
 * Edits that give production a Redis CACHES: rewrite the assignment production uses, or insert
 * one. Shared by every rule that asks for a shared cache, so the edits are identical.
 */
export function cachesEdits(ctx: SettingsContext, choice: CacheChoice): TextEdit[] {
  const caches = ctx.setting('CACHES');
  const value = cachesValue(ctx, choice);
  const rhs = caches.binding?.rhs;
  const prod = ctx.profile.module.path;
  if (rhs && rhs.file === prod && !caches.binding?.imported) {
    const indent = ' '.repeat(caches.binding?.stmt?.range.start.character ?? 0);
    return [{ ...rhs, newText: value.text.split('\n').join('\n' + indent) }, ...ctx.edit.importEdits(value.imports)];
  }
  const root = prodRoot(ctx);
  if (root && rhs === undefined && caches.isDefault && assignsAnywhere(ctx, 'CACHES')) return [];
  const lines = value.text.split('\n');
  lines[0] = `CACHES = ${lines[0]}`;
  return ctx.edit.insertLines(['', ...lines], value.imports);
}

function assignsAnywhere(ctx: SettingsContext, name: string): boolean {
  const root = prodRoot(ctx);
  if (!root) return false;
  return root.descendantsOfType('assignment').some((a) => a?.childForFieldName('left')?.text === name);
}

// ------------------------------------------------------------------ static files

export const WHITENOISE_MIDDLEWARE = 'whitenoise.middleware.WhiteNoiseMiddleware';
export const WHITENOISE_STORAGE = 'whitenoise.storage.CompressedManifestStaticFilesStorage';
export const MANIFEST_STORAGE = 'django.contrib.staticfiles.storage.ManifestStaticFilesStorage';
export const DEFAULT_STATIC_STORAGE = 'django.contrib.staticfiles.storage.StaticFilesStorage';
export const DEFAULT_FILE_STORAGE = 'django.core.files.storage.FileSystemStorage';

/** `STATIC_ROOT = BASE_DIR / "staticfiles"` after STATIC_URL (or where settings go); [] without BASE_DIR. */
export function staticRootEdits(ctx: SettingsContext): TextEdit[] {
  const path = baseDirPath(ctx, 'staticfiles');
  if (!path) return [];
  const s = ctx.setting('STATIC_ROOT');
  if (!s.isDefault) {
    const fix = ctx.edit.setValue(s, styled(ctx, [path.text])[0]!, '', path.imports)[0];
    return fix?.edits ?? [];
  }
  if (assignsAnywhere(ctx, 'STATIC_ROOT')) return [];
  return insertNear(ctx, ['STATIC_URL'], styled(ctx, [`STATIC_ROOT = ${path.text}`]), path.imports);
}

/** Lines setting the staticfiles storage backend in a module with no storage setting at all. */
export function storageLines(ctx: SettingsContext, staticBackend: string): string[] {
  if (!versionAtLeast(ctx, 4, 2)) return styled(ctx, [`STATICFILES_STORAGE = "${staticBackend}"`]);
  return styled(ctx, ['STORAGES = {', `    "default": {"BACKEND": "${DEFAULT_FILE_STORAGE}"},`, `    "staticfiles": {"BACKEND": "${staticBackend}"},`, '}']);
}

// Static files in production: which storage collects them, who serves them (spec DJ-OPS-020..024).
import { baseName } from '../../workspace';
import { findPair, quoteOf, replaceNode, appendEntries } from '../../fixes/dictEdit';
import type { Setting } from '../../settings/profile';
import { dictGetStr, stringItems } from '../../settings/value';
import type { TextEdit } from '../../types';
import { middlewareInsertFix } from '../middlewareFix';
import type { SettingsContext } from '../types';
import { DEFAULT_STATIC_STORAGE, WHITENOISE_MIDDLEWARE, storageLines, staticRootEdits } from './blocks';
import { type OpsContext, dictAt, insertNear, prodPath, prodRoot, styled, strOf, versionAtLeast } from './support';

export interface StaticStorage {
  /** The backend path; undefined when not known. */
  backend?: string;
  /** The setting it comes from (STORAGES, STATICFILES_STORAGE), or STORAGES when neither is set. */
  setting: Setting;
  isDefault: boolean;
}

export function staticStorage(ctx: SettingsContext): StaticStorage {
  const storages = ctx.setting('STORAGES');
  const legacy = ctx.setting('STATICFILES_STORAGE');
  if (versionAtLeast(ctx, 4, 2) && !storages.isDefault) {
    if (storages.value.kind !== 'dict') return { setting: storages, isDefault: false };
    const alias = dictGetStr(storages.value, 'staticfiles');
    if (!alias) return storages.value.partial ? { setting: storages, isDefault: false } : { backend: DEFAULT_STATIC_STORAGE, setting: storages, isDefault: true };
    return { backend: strOf(dictGetStr(alias, 'BACKEND')), setting: storages, isDefault: false };
  }
  if (!legacy.isDefault) return { backend: strOf(legacy.value), setting: legacy, isDefault: false };
  return { backend: DEFAULT_STATIC_STORAGE, setting: storages, isDefault: true };
}

/** Backends that write collected files to STATIC_ROOT (as opposed to object storage, a CDN...). */
export function isLocalStorage(backend: string): boolean {
  return backend.startsWith('django.contrib.staticfiles.storage.') || backend.startsWith('whitenoise.');
}

export function usesWhitenoise(ctx: OpsContext | SettingsContext): boolean {
  const apps = stringItems(ctx.setting('INSTALLED_APPS').value) ?? [];
  const mw = stringItems(ctx.setting('MIDDLEWARE').value) ?? [];
  const backend = staticStorage(ctx).backend ?? '';
  return ctx.profile.project.requirementNames.has('whitenoise') || backend.startsWith('whitenoise.') || apps.includes('whitenoise.runserver_nostatic') || mw.includes(WHITENOISE_MIDDLEWARE);
}

const SERVER_CONFIG = /(^|[/.])(nginx[^/]*|[^/]*\.conf|caddyfile|[^/]*\.nginx|httpd[^/]*|apache[^/]*)$/i;
const SERVES_STATIC = /location\s+[^{\n]*static|alias\s+\S*static|handle(_path)?\s+\/static|root\s+\S*static|Alias\s+\/static|static_dir|file_server/i;

/** Signs that something other than Django serves /static/ (CDN URL, object storage, a web server). */
export function otherStaticServing(ctx: OpsContext): boolean {
  const url = strOf(ctx.setting('STATIC_URL').value) ?? '';
  if (/^(https?:)?\/\//.test(url)) return true;
  const backend = staticStorage(ctx).backend;
  if (backend === undefined || !isLocalStorage(backend)) return true;
  if (ctx.requires('dj-static')) return true;
  for (const f of ctx.files) {
    const name = baseName(f);
    const config = SERVER_CONFIG.test(name) || name === 'app.yaml';
    const deploy = /^(docker-)?compose.*\.ya?ml$/i.test(name) || /^Dockerfile/i.test(name);
    if (!config && !deploy) continue;
    const text = ctx.fs.readFile(f) ?? '';
    if (config && SERVES_STATIC.test(text)) return true;
    if (deploy && /\b(nginx|caddy|httpd|apache2?)\b/i.test(text)) return true;
  }
  return false;
}

/** WhiteNoise's middleware right after SecurityMiddleware (first when there is none). */
export function whitenoiseMiddlewareEdits(ctx: SettingsContext): TextEdit[] {
  const mw = stringItems(ctx.setting('MIDDLEWARE').value) ?? [];
  const where = mw.includes('django.middleware.security.SecurityMiddleware') ? { after: ['django.middleware.security.SecurityMiddleware'] } : ('first' as const);
  return middlewareInsertFix(ctx, WHITENOISE_MIDDLEWARE, where)[0]?.edits ?? [];
}

/**
 * Edits making `backend` the staticfiles storage: the "staticfiles" entry of STORAGES (merged into
 * its literal, or assigned by key), STATICFILES_STORAGE before Django 4.2, or a new STORAGES block.
 */
export function storageEdits(ctx: SettingsContext, backend: string): TextEdit[] {
  const storages = ctx.setting('STORAGES');
  const legacy = ctx.setting('STATICFILES_STORAGE');
  const value = styled(ctx, [`"${backend}"`])[0]!;
  if (!versionAtLeast(ctx, 4, 2) || (!legacy.isDefault && storages.isDefault)) {
    if (!legacy.isDefault) return ctx.edit.setValue(legacy, value, '')[0]?.edits ?? [];
    return assignsName(ctx, 'STATICFILES_STORAGE') ? [] : insertNear(ctx, ['STATIC_ROOT', 'STATIC_URL'], storageLines(ctx, backend));
  }
  if (storages.isDefault) return assignsName(ctx, 'STORAGES') ? [] : insertNear(ctx, ['STATIC_ROOT', 'STATIC_URL'], storageLines(ctx, backend));
  if (storages.value.kind !== 'dict') return [];
  const dict = storages.value.src?.file === prodPath(ctx) ? dictAt(ctx, storages.value.src) : undefined;
  if (dict) {
    const q = quoteOf(dict);
    const entry = `{${q}BACKEND${q}: ${value}}`;
    const pair = findPair(dict, 'staticfiles');
    if (pair) {
      const inner = pair.value.type === 'dictionary' ? findPair(pair.value, 'BACKEND') : undefined;
      return inner ? [replaceNode(prodPath(ctx), inner.value, value)] : [replaceNode(prodPath(ctx), pair.value, entry)];
    }
    return appendEntries(prodPath(ctx), dict, [`${q}staticfiles${q}: ${entry}`]);
  }
  const q = styled(ctx, ['"'])[0];
  return ctx.edit.insertLines([`STORAGES[${q}staticfiles${q}] = {${q}BACKEND${q}: ${value}}`]);
}

function assignsName(ctx: SettingsContext, name: string): boolean {
  const root = prodRoot(ctx);
  return !!root && root.descendantsOfType('assignment').some((a) => a?.childForFieldName('left')?.text === name);
}

export { staticRootEdits };

// What production's caches are and who relies on them being shared (spec DJ-OPS-014, 016).
import type { Setting } from '../../settings/profile';
import { type Value, dictGetStr, isSequence, stringItems } from '../../settings/value';
import type { SettingsContext } from '../types';
import { type OpsContext, strOf } from './support';

export const LOCMEM = 'django.core.cache.backends.locmem.LocMemCache';
export const DUMMY = 'django.core.cache.backends.dummy.DummyCache';

export interface CacheAlias {
  setting: Setting;
  /** The backend path; undefined when the alias is missing from a known CACHES. */
  backend?: string;
  /** The value the backend came from (for "when X is unset"). */
  value?: Value;
}

/** The backend of a CACHES alias in production; undefined when it cannot be known. */
export function cacheAlias(ctx: SettingsContext, alias = 'default'): CacheAlias | undefined {
  const setting = ctx.setting('CACHES');
  if (setting.isDefault) return alias === 'default' ? { setting, backend: LOCMEM } : { setting };
  const v = setting.value;
  if (v.kind !== 'dict') return undefined;
  const entry = dictGetStr(v, alias);
  if (!entry) return v.partial ? undefined : { setting };
  const backend = dictGetStr(entry, 'BACKEND');
  const name = strOf(backend);
  return name === undefined ? undefined : { setting, backend: name, value: backend?.env ? backend : entry.env ? entry : v };
}

export function isVolatile(backend: string | undefined): boolean {
  return backend === LOCMEM || backend === DUMMY;
}

/** Does the project use django-ratelimit (requirement or installed app)? */
export function usesRatelimit(ctx: OpsContext): boolean {
  const apps = stringItems(ctx.setting('INSTALLED_APPS').value) ?? [];
  return ctx.requires('django-ratelimit') || apps.includes('django_ratelimit');
}

/** Features that need the cache to be shared by every worker, as short phrases. */
export function sharedStateUsers(ctx: OpsContext): string[] {
  const out: string[] = [];
  if (usesRatelimit(ctx)) out.push('django-ratelimit counters');
  const drf = ctx.setting('REST_FRAMEWORK').value;
  const throttles = dictGetStr(drf, 'DEFAULT_THROTTLE_CLASSES');
  if (throttles && isSequence(throttles) && throttles.items.length > 0) out.push('DRF throttle counts');
  const engine = strOf(ctx.setting('SESSION_ENGINE').value);
  if (engine === 'django.contrib.sessions.backends.cache' || engine === 'django.contrib.sessions.backends.cached_db') out.push('sessions');
  const mw = stringItems(ctx.setting('MIDDLEWARE').value) ?? [];
  if (mw.some((m) => m.startsWith('django.middleware.cache.'))) out.push('the page cache');
  return out;
}

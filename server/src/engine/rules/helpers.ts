// Small vocabulary shared by settings rules: middleware membership, "when X is unset" phrasing.
import type { Setting } from '../settings/profile';
import { containsString, type Value } from '../settings/value';
import type { SettingsContext } from './types';

export const SECURITY_MIDDLEWARE = 'django.middleware.security.SecurityMiddleware';
export const CSRF_MIDDLEWARE = 'django.middleware.csrf.CsrfViewMiddleware';
export const XFRAME_MIDDLEWARE = 'django.middleware.clickjacking.XFrameOptionsMiddleware';
export const SESSION_MIDDLEWARE = 'django.contrib.sessions.middleware.SessionMiddleware';
export const SESSIONS_APP = 'django.contrib.sessions';

/** Is a middleware in MIDDLEWARE? undefined when MIDDLEWARE is not fully known. */
export function hasMiddleware(ctx: SettingsContext, path: string): boolean | undefined {
  const mw = ctx.setting('MIDDLEWARE').value;
  return containsString(mw, path);
}

export function hasApp(ctx: SettingsContext, app: string): boolean | undefined {
  return containsString(ctx.setting('INSTALLED_APPS').value, app);
}

/** " when DJANGO_DEBUG is unset" for values that are environment fallbacks, else "". */
export function whenUnset(v: Value): string {
  const names = v.env?.names;
  if (!names || names.length === 0) return '';
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return ` when ${list} ${names.length === 1 ? 'is' : 'are'} unset`;
}

/** True when the value is written in the source rather than an environment fallback. */
export function isLiteral(s: Setting): boolean {
  return !s.isDefault && !s.value.env;
}

/** "SECURE_SSL_REDIRECT is not set" / "SECURE_SSL_REDIRECT is False". */
export function describeSetting(s: Setting, repr: string): string {
  if (s.isDefault) return `${s.name} is not set (Django's default is ${repr})`;
  return `${s.name} is ${repr}${whenUnset(s.value)}`;
}

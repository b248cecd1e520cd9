// How production sends email (spec DJ-OPS-006, 017..019).
import type { Setting } from '../../settings/profile';
import type { SettingsContext } from '../types';
import { isLocalHost, strOf, versionAtLeast } from './support';

export const SMTP_BACKEND = 'django.core.mail.backends.smtp.EmailBackend';
export const DEV_BACKENDS = ['console', 'dummy', 'locmem', 'filebased'].map((b) => `django.core.mail.backends.${b}.EmailBackend`);

/** Is the SMTP backend in use? undefined when EMAIL_BACKEND is not known. */
export function usesSmtp(ctx: SettingsContext): boolean | undefined {
  if (versionAtLeast(ctx, 6, 1) && !ctx.setting('MAILERS').isDefault) return undefined;
  const backend = ctx.setting('EMAIL_BACKEND');
  if (backend.isDefault) return true;
  const v = strOf(backend.value);
  return v === undefined ? undefined : v === SMTP_BACKEND;
}

/**
 * Where SMTP connects: 'remote' for a non-local host (a required environment read counts: the
 * operator sets a real server), 'local' for localhost/unset, undefined when unknown.
 */
export function smtpHost(ctx: SettingsContext): { kind: 'remote' | 'local'; setting: Setting; name?: string } | undefined {
  const s = ctx.setting('EMAIL_HOST');
  if (s.isDefault) return { kind: 'local', setting: s };
  const v = s.value;
  if (v.kind === 'str') return { kind: isLocalHost(v.value) ? 'local' : 'remote', setting: s, name: v.value };
  if (v.kind === 'unknown' && v.required?.length) return { kind: 'remote', setting: s };
  if (v.kind === 'none') return { kind: 'local', setting: s };
  return undefined;
}

// Reading a LOGGING dictConfig value (spec DJ-OPS-002..006).
import type { Setting } from '../../settings/profile';
import { type Value, dictGetStr, stringItems, truthy } from '../../settings/value';
import type { SettingsContext } from '../types';
import { strOf } from './support';

type Dict = Extract<Value, { kind: 'dict' }>;

export interface LoggingConfig {
  setting: Setting;
  value: Dict;
  incremental: boolean;
}

/**
 * The production LOGGING when Django hands it to dictConfig and we know it: a non-empty dict, and
 * LOGGING_CONFIG left at its default (a custom configurator may read any format).
 */
export function loggingConfig(ctx: SettingsContext): LoggingConfig | undefined {
  const setting = ctx.setting('LOGGING');
  const v = setting.value;
  if (setting.isDefault || v.kind !== 'dict' || v.entries.length === 0) return undefined;
  const configurator = ctx.setting('LOGGING_CONFIG');
  if (!configurator.isDefault && strOf(configurator.value) !== 'logging.config.dictConfig') return undefined;
  const inc = dictGetStr(v, 'incremental');
  return { setting, value: v, incremental: inc ? truthy(inc) !== false : false };
}

export interface Named {
  name: string;
  value: Value;
}

/** Entries of a section (`handlers`, `formatters`...); [] when absent, undefined when not fully known. */
export function section(cfg: Dict, key: string): Named[] | undefined {
  const s = dictGetStr(cfg, key);
  if (!s) return cfg.partial ? undefined : [];
  if (s.kind !== 'dict' || s.partial) return undefined;
  const out: Named[] = [];
  for (const e of s.entries) {
    if (e.key.kind !== 'str') return undefined;
    out.push({ name: e.key.value, value: e.value });
  }
  return out;
}

/** The loggers dictConfig configures, root included (as "" ). */
export function loggers(cfg: Dict): Named[] | undefined {
  const named = section(cfg, 'loggers');
  if (!named) return undefined;
  const root = dictGetStr(cfg, 'root');
  return root ? [...named.filter((n) => n.name !== ''), { name: '', value: root }] : named;
}

/** Handler names a logger lists; undefined when not known. */
export function handlerNames(logger: Value): string[] | undefined {
  const h = dictGetStr(logger, 'handlers');
  if (!h) return logger.kind === 'dict' && !logger.partial ? [] : undefined;
  return stringItems(h);
}

export const LEVELS: Record<string, number> = { CRITICAL: 50, FATAL: 50, ERROR: 40, WARNING: 30, WARN: 30, INFO: 20, DEBUG: 10, NOTSET: 0 };

export function levelOf(v: Value | undefined): number | undefined {
  if (!v) return 0;
  if (v.kind === 'int') return v.value;
  if (v.kind === 'str') return LEVELS[v.value.toUpperCase()];
  return undefined;
}

import { appendEntries, quoteOf } from '../../fixes/dictEdit';
import { type Value, dictGetStr, isSequence, stringItems, truthy } from '../../settings/value';
import type { Fix } from '../../types';
import { type Named, handlerNames, levelOf, loggers, loggingConfig, section } from '../ops/logging';
import { dictAt, strOf, valueOf } from '../ops/support';
import type { SettingsContext, SettingsRule } from '../types';

const ERROR = 40;

/** Does this handler write ERROR records somewhere outside a debug session? undefined = cannot tell. */
function usefulHandler(ctx: SettingsContext, h: Value, filters: Named[]): boolean | undefined {
  if (h.kind !== 'dict' || h.partial) return undefined;
  const cls = strOf(dictGetStr(h, 'class'));
  if (!cls) return dictGetStr(h, '()') ? undefined : false;
  if (cls === 'logging.NullHandler') return false;
  const level = levelOf(dictGetStr(h, 'level'));
  if (level === undefined) return undefined;
  if (level > ERROR) return false;
  const used = dictGetStr(h, 'filters');
  const names = used ? stringItems(used) : [];
  if (!names) return undefined;
  for (const n of names) {
    const f = filters.find((x) => x.name === n)?.value;
    if (strOf(dictGetStr(f, '()')) === 'django.utils.log.RequireDebugTrue') return false;
  }
  if (cls === 'django.utils.log.AdminEmailHandler') {
    const admins = valueOf(ctx, 'ADMINS');
    if (!isSequence(admins) || admins.partial) return undefined;
    return admins.items.length > 0 || !!admins.env;
  }
  return true;
}

export const rule: SettingsRule = {
  id: 'DJ-OPS-005',
  name: 'logging-errors-dropped',
  family: 'settings',
  summary: 'No LOGGING handler receives the errors of django.request',
  defaultSeverity: 'information',
  djangoChecks: [],
  docs: `Unhandled exceptions in views are logged at ERROR on \`django.request\`, which propagates to \`django\`
and then to the root logger. When none of them has a handler that accepts ERROR records outside
DEBUG (only a console handler filtered with \`require_debug_true\`, a \`NullHandler\`, a level above
ERROR, or \`propagate: False\` before any real handler), production 500 errors are not written anywhere.

Before:
\`\`\`python
LOGGING = {"version": 1, "handlers": {"console": {"class": "logging.StreamHandler"}}, "loggers": {}}
\`\`\`
After:
\`\`\`python
LOGGING = {"version": 1, "handlers": {"console": {"class": "logging.StreamHandler"}}, "loggers": {},
           "root": {"handlers": ["console"], "level": "INFO"}}
\`\`\``,
  check(ctx) {
    const cfg = loggingConfig(ctx);
    if (!cfg || cfg.incremental) return;
    const handlers = section(cfg.value, 'handlers');
    const filters = section(cfg.value, 'filters');
    const configured = loggers(cfg.value);
    if (!handlers || !filters || !configured) return;
    let reachesRoot = true;
    for (const name of ['django.request', 'django', '']) {
      const logger = configured.find((l) => l.name === name)?.value;
      if (!logger) {
        // Not in LOGGING, "django" keeps Django's default handlers: errors are mailed to ADMINS.
        if (name === 'django') {
          const admins = valueOf(ctx, 'ADMINS');
          if (!isSequence(admins) || admins.partial || admins.items.length > 0 || admins.env) return;
        }
        continue;
      }
      if (logger.kind !== 'dict' || logger.partial) return;
      const level = levelOf(dictGetStr(logger, 'level'));
      if (level === undefined) return;
      if (level > ERROR) {
        reachesRoot = false;
        break;
      }
      const names = handlerNames(logger);
      if (!names) return;
      for (const n of names) {
        const h = handlers.find((x) => x.name === n);
        if (!h) return; // DJ-OPS-002 reports undefined handlers
        const useful = usefulHandler(ctx, h.value, filters);
        if (useful !== false) return;
      }
      const propagate = dictGetStr(logger, 'propagate');
      if (propagate && truthy(propagate) !== true) {
        if (truthy(propagate) === undefined) return;
        reachesRoot = name === '';
        break;
      }
    }
    ctx.report({
      setting: cfg.setting,
      message: 'No LOGGING handler receives ERROR records from django.request outside DEBUG: unhandled 500 errors are not written anywhere',
      fixes: () => reachesRoot ? rootFix(ctx, cfg.value, handlers, filters, configured) : [],
    });
  },
};

function rootFix(ctx: SettingsContext, value: Extract<Value, { kind: 'dict' }>, handlers: Named[], filters: Named[], configured: Named[]): Fix[] {
  if (configured.some((l) => l.name === '')) return [];
  const dict = dictAt(ctx, value.src);
  if (!dict || !value.src) return [];
  const q = quoteOf(dict);
  const s = (t: string) => `${q}${t}${q}`;
  const stream = handlers.find((h) => strOf(dictGetStr(h.value, 'class')) === 'logging.StreamHandler' && usefulHandler(ctx, h.value, filters) === true);
  if (stream) {
    return [{ title: `Send the root logger to "${stream.name}"`, edits: appendEntries(value.src.file, dict, [`${s('root')}: {${s('handlers')}: [${s(stream.name)}], ${s('level')}: ${s('INFO')}}`]), safe: true }];
  }
  if (handlers.some((h) => h.name === 'console')) return [];
  const section = dictGetStr(value, 'handlers');
  const handlersDict = section ? dictAt(ctx, section.src) : undefined;
  const consoleEntry = `${s('console')}: {${s('class')}: ${s('logging.StreamHandler')}}`;
  const rootEntry = `${s('root')}: {${s('handlers')}: [${s('console')}], ${s('level')}: ${s('INFO')}}`;
  if (section && (!handlersDict || section.src?.file !== value.src.file)) return [];
  const edits = handlersDict
    ? [...appendEntries(value.src.file, handlersDict, [consoleEntry]), ...appendEntries(value.src.file, dict, [rootEntry])]
    : appendEntries(value.src.file, dict, [`${s('handlers')}: {${consoleEntry}}`, rootEntry]);
  return [{ title: 'Log to the console from the root logger', edits, safe: true }];
}

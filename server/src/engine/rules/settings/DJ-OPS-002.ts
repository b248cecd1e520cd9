import { nodeAt, prependEntries, quoteOf } from '../../fixes/dictEdit';
import { dictGetStr, stringItems } from '../../settings/value';
import type { Fix } from '../../types';
import { handlerNames, loggers, loggingConfig, section } from '../ops/logging';
import { dictAt, strOf } from '../ops/support';
import type { SettingsContext, SettingsRule } from '../types';

const STDLIB_HANDLERS = [
  'logging.StreamHandler',
  'logging.FileHandler',
  'logging.NullHandler',
  'logging.Handler',
  'logging.handlers.WatchedFileHandler',
  'logging.handlers.BaseRotatingHandler',
  'logging.handlers.RotatingFileHandler',
  'logging.handlers.TimedRotatingFileHandler',
  'logging.handlers.SocketHandler',
  'logging.handlers.DatagramHandler',
  'logging.handlers.SysLogHandler',
  'logging.handlers.NTEventLogHandler',
  'logging.handlers.SMTPHandler',
  'logging.handlers.BufferingHandler',
  'logging.handlers.MemoryHandler',
  'logging.handlers.HTTPHandler',
  'logging.handlers.QueueHandler',
];

function replaceString(ctx: SettingsContext, src: import('../../types').Location | undefined, value: string, title: string): Fix[] {
  if (!src) return [];
  const root = ctx.edit.rootOf(src.file);
  const node = root ? nodeAt(root, src, ['string']) : undefined;
  if (!node) return [];
  const q = node.text.endsWith("'") ? "'" : '"';
  return [{ title, edits: [{ ...src, newText: `${q}${value}${q}` }], safe: true }];
}

export const rule: SettingsRule = {
  id: 'DJ-OPS-002',
  name: 'logging-config-invalid',
  family: 'settings',
  summary: 'LOGGING is rejected by dictConfig: no version, an undefined name, or a misspelt handler class',
  defaultSeverity: 'error',
  djangoChecks: [],
  docs: `Django passes \`LOGGING\` to \`logging.config.dictConfig\` while it starts; a config without \`"version": 1\`,
a handler naming a formatter or filter the dict does not define, a logger naming an undefined handler,
or a misspelt standard handler class (\`logging.handlers.RotatingFilehandler\`) raises \`ValueError\` and
the process never serves a request. Handlers Django defines for its own default config
(\`console\`, \`mail_admins\`) are not visible from \`LOGGING\`: define them again.

Before:
\`\`\`python
LOGGING = {"handlers": {"file": {"class": "logging.RotatingFileHandler", "filename": "/var/log/app.log"}}}
\`\`\`
After:
\`\`\`python
LOGGING = {"version": 1, "handlers": {"file": {"class": "logging.handlers.RotatingFileHandler", "filename": "/var/log/app.log"}}}
\`\`\``,
  check(ctx) {
    const cfg = loggingConfig(ctx);
    if (!cfg) return;
    const { setting, value } = cfg;
    const version = dictGetStr(value, 'version');
    if (!version && !value.partial) {
      const dict = dictAt(ctx, value.src);
      const q = dict ? quoteOf(dict) : '"';
      ctx.report({
        setting,
        message: 'LOGGING has no "version" key: dictConfig raises ValueError and Django does not start',
        fixes: () => dict ? [{ title: 'Add "version": 1', edits: prependEntries(value.src!.file, dict, [`${q}version${q}: 1`]), safe: true }] : [],
      });
    } else if (version && (version.kind === 'int' || version.kind === 'str') && !(version.kind === 'int' && version.value === 1)) {
      ctx.report({
        setting,
        at: version.src,
        message: `LOGGING "version" is ${version.kind === 'str' ? JSON.stringify(version.value) : version.value}: dictConfig accepts only the integer 1 and Django does not start`,
        fixes: () => version.src && !version.env ? [{ title: 'Use "version": 1', edits: [{ ...version.src, newText: '1' }], safe: true }] : [],
      });
    }
    if (cfg.incremental) return;
    const formatters = section(value, 'formatters')?.map((f) => f.name);
    const filters = section(value, 'filters')?.map((f) => f.name);
    const handlers = section(value, 'handlers');
    for (const h of handlers ?? []) {
      const formatter = dictGetStr(h.value, 'formatter');
      const fname = strOf(formatter);
      if (fname !== undefined && formatters && !formatters.includes(fname)) {
        ctx.report({ setting, at: formatter?.src, message: `LOGGING handler "${h.name}" uses formatter "${fname}", which LOGGING does not define: Django does not start` });
      }
      const used = stringItems(dictGetStr(h.value, 'filters'));
      for (const f of used ?? []) {
        if (filters && !filters.includes(f)) ctx.report({ setting, at: dictGetStr(h.value, 'filters')?.src, message: `LOGGING handler "${h.name}" uses filter "${f}", which LOGGING does not define: Django does not start` });
      }
      const cls = dictGetStr(h.value, 'class');
      const name = strOf(cls);
      if (name && name.startsWith('logging.') && !STDLIB_HANDLERS.includes(name)) {
        const last = name.split('.').pop()!.toLowerCase();
        const guess = STDLIB_HANDLERS.find((c) => c.split('.').pop()!.toLowerCase() === last);
        ctx.report({
          setting,
          at: cls?.src,
          message: `LOGGING handler "${h.name}" has class "${name}", which the logging module does not have${guess ? ` (did you mean "${guess}"?)` : ''}: Django does not start`,
          fixes: () => guess && !cls?.env ? replaceString(ctx, cls?.src, guess, `Use ${guess}`) : [],
        });
      }
    }
    const defined = handlers?.map((h) => h.name);
    for (const logger of loggers(value) ?? []) {
      const names = handlerNames(logger.value);
      for (const n of names ?? []) {
        if (!defined || defined.includes(n)) continue;
        const label = logger.name === '' ? 'The root logger' : `Logger "${logger.name}"`;
        ctx.report({ setting, at: dictGetStr(logger.value, 'handlers')?.src, message: `${label} uses handler "${n}", which LOGGING does not define: Django does not start` });
      }
    }
  },
};

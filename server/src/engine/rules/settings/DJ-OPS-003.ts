import { prependEntries, quoteOf } from '../../fixes/dictEdit';
import { dictGetStr, truthy } from '../../settings/value';
import { whenUnset } from '../helpers';
import { loggers, loggingConfig } from '../ops/logging';
import { dictAt } from '../ops/support';
import type { SettingsRule } from '../types';

export const rule: SettingsRule = {
  id: 'DJ-OPS-003',
  name: 'logging-disables-loggers',
  family: 'settings',
  summary: 'LOGGING switches off the loggers that exist before it is applied',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `\`"disable_existing_loggers"\` defaults to True in dictConfig. Loggers created before Django applies
\`LOGGING\` — \`django.request\` (unhandled 500 errors), \`django.security\` and those of libraries the
settings import — are then switched off unless LOGGING names them or one of their parents, so
server errors are not logged at all. Set it to False (or configure the \`django\` logger).

Before:
\`\`\`python
LOGGING = {"version": 1, "disable_existing_loggers": True, "handlers": {...}, "root": {...}}
\`\`\`
After:
\`\`\`python
LOGGING = {"version": 1, "disable_existing_loggers": False, "handlers": {...}, "root": {...}}
\`\`\``,
  check(ctx) {
    const cfg = loggingConfig(ctx);
    if (!cfg || cfg.incremental) return;
    const { setting, value } = cfg;
    const flag = dictGetStr(value, 'disable_existing_loggers');
    const named = loggers(value);
    const keepsDjango = named?.some((l) => l.name === 'django');
    if (flag) {
      if (truthy(flag) !== true) return;
      const literal = flag.src && !flag.env;
      ctx.report({
        setting,
        at: flag.src,
        message: `LOGGING sets disable_existing_loggers to True${whenUnset(flag)}: ${keepsDjango ? 'loggers of libraries imported by the settings' : 'django.request and other loggers created earlier'} stop logging${keepsDjango ? '' : ', so unhandled 500 errors are not logged'}`,
        fixes: () => literal ? [{ title: 'Keep existing loggers ("disable_existing_loggers": False)', edits: [{ ...flag.src!, newText: 'False' }], safe: true }] : [],
      });
      return;
    }
    if (value.partial || keepsDjango || named === undefined) return;
    const dict = dictAt(ctx, value.src);
    const q = dict ? quoteOf(dict) : '"';
    ctx.report({
      setting,
      message: 'LOGGING does not set disable_existing_loggers, which defaults to True: django.request and other loggers created earlier stop logging, so unhandled 500 errors are not logged',
      fixes: () => dict ? [{ title: 'Keep existing loggers ("disable_existing_loggers": False)', edits: prependEntries(value.src!.file, dict, [`${q}disable_existing_loggers${q}: False`]), safe: true }] : [],
    });
  },
};

import { isSequence } from '../../settings/value';
import type { Fix } from '../../types';
import { type LoggingVariant, loggingLines } from '../ops/blocks';
import { type OpsContext, assignsName, callsIn, firstPartyPackages, opsContext, prodPath, underDebugOnly } from '../ops/support';
import type { ProjectRule } from '../types';

/** Logging configured in code instead of LOGGING (`logging.config.dictConfig(...)`, `basicConfig`). */
function configuredInCode(ctx: OpsContext): boolean {
  const files = new Set(ctx.profile.filesRead);
  for (const e of ctx.project.entryPoints) if ((e.kind === 'wsgi' || e.kind === 'asgi') && e.file.endsWith('.py')) files.add(e.file);
  for (const file of files) {
    // Statements only (PythonSources.code): the text is a pre-check, a name in a comment has no call.
    const parsed = ctx.edit.codeOf(file);
    if (!parsed || !/dictConfig|fileConfig|basicConfig|structlog/.test(parsed.text)) continue;
    const root = parsed.root;
    const calls = callsIn(root, (c) => /(^|\.)(dictConfig|fileConfig|basicConfig)$/.test(c) || c === 'structlog.configure');
    if (calls.some((c) => !underDebugOnly(c))) return true;
  }
  return false;
}

function loggingFix(ctx: OpsContext, variant: LoggingVariant, title: string): Fix[] {
  const block = loggingLines(ctx, variant, firstPartyPackages(ctx));
  if (!block) return [];
  const edits = [...ctx.edit.insertLines(block.lines, block.imports)];
  if (variant === 'json') edits.push(...ctx.requirement('python-json-logger'));
  return edits.length ? [{ title, edits, safe: true }] : [];
}

export const rule: ProjectRule = {
  id: 'DJ-OPS-001',
  name: 'logging-missing',
  family: 'project',
  summary: 'Production settings have no LOGGING configuration',
  defaultSeverity: 'information',
  djangoChecks: [],
  docs: `Without \`LOGGING\`, a production server (DEBUG off) prints nothing for Django's loggers: Django's default
configuration sends \`django.request\` errors only by email to \`ADMINS\`, so with \`ADMINS\` empty a
500 error leaves no trace at all (Warning then). The fix adds a LOGGING dict with a console handler
(what containers and PaaS collect), a size-rotated file in \`logs/\`, and loggers for \`django\` and the
project's own apps; alternatives write to the console only, or JSON lines with python-json-logger.
Logging configured in code (\`logging.config.dictConfig\`, \`LOGGING_CONFIG\`) counts.

Before:
\`\`\`python
# no LOGGING
\`\`\`
After:
\`\`\`python
LOG_DIR = BASE_DIR / "logs"
LOG_DIR.mkdir(exist_ok=True)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"verbose": {"format": "{levelname} {asctime} {name} {process:d} {message}", "style": "{"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "verbose"},
        "file": {"class": "logging.handlers.RotatingFileHandler", "filename": LOG_DIR / "django.log",
                 "maxBytes": 10 * 1024 * 1024, "backupCount": 5, "formatter": "verbose"},
    },
    "root": {"handlers": ["console", "file"], "level": "INFO"},
    "loggers": {"django": {"handlers": ["console", "file"], "level": "INFO", "propagate": False}},
}
\`\`\``,
  check(pctx) {
    const ctx = opsContext(pctx);
    if (!ctx) return;
    const logging = ctx.setting('LOGGING');
    // `LOGGING = {}` is skipped by Django: the same as no LOGGING.
    const empty = !logging.isDefault && logging.value.kind === 'dict' && logging.value.entries.length === 0 && !logging.value.partial;
    if ((!logging.isDefault && !empty) || !ctx.setting('LOGGING_CONFIG').isDefault) return;
    if (configuredInCode(ctx)) return;
    const admins = ctx.setting('ADMINS');
    const noAdmins = admins.isDefault || (isSequence(admins.value) && admins.value.items.length === 0 && !admins.value.partial && !admins.value.env);
    // Whether the production module assigns LOGGING is a question about its statements.
    const root = ctx.edit.codeOf(prodPath(ctx))?.root;
    const dead = !empty && !!root && assignsName(root, 'LOGGING');
    const fixes = () =>
      empty || dead
        ? []
        : [
            ...loggingFix(ctx, 'file', 'Add LOGGING: console and a rotating file in logs/'),
            ...loggingFix(ctx, 'console', 'Add LOGGING: console only (containers, PaaS)'),
            ...loggingFix(ctx, 'json', 'Add LOGGING: JSON lines (python-json-logger)'),
          ];
    const what = empty ? 'LOGGING is empty' : dead ? 'Production has no LOGGING (the one in this module is in a branch production skips)' : 'Production has no LOGGING';
    ctx.report({
      setting: logging,
      severity: noAdmins ? 'warning' : 'information',
      message: noAdmins
        ? `${what}: with DEBUG off Django prints nothing and emails errors to ADMINS, which is empty, so 500 errors leave no trace`
        : `${what}: with DEBUG off Django only emails errors to ADMINS and prints nothing to the console or a log file`,
      fixes,
    });
  },
};

import { sentryLines } from '../ops/blocks';
import { sentryInits } from '../ops/sentry';
import { opsContext, prodRoot } from '../ops/support';
import type { ProjectRule } from '../types';

/** Error trackers other than Sentry: a project using one is not told to add Sentry. */
const OTHER_TRACKERS = ['rollbar', 'bugsnag', 'honeybadger', 'newrelic', 'ddtrace', 'elastic-apm', 'scout-apm', 'airbrake', 'pybrake', 'raygun4py', 'appsignal', 'logfire', 'opentelemetry-instrumentation-django', 'raven', 'glitchtip'];

export const rule: ProjectRule = {
  id: 'DJ-OPS-007',
  name: 'error-tracking-missing',
  family: 'project',
  summary: 'Production does not initialise an error tracker (Sentry)',
  defaultSeverity: 'information',
  djangoChecks: [],
  docs: `Without an error tracker, production exceptions are only as visible as the logs someone reads. When
\`sentry-sdk\` is in the requirements but no \`sentry_sdk.init(...)\` runs in production (only in a dev
module, or nowhere), errors silently go unreported (Warning). The fix initialises Sentry only when
\`SENTRY_DSN\` is set, without personal data (\`send_default_pii=False\`), and adds the pinned
\`sentry-sdk\` requirement. Calls anywhere in the project count (settings, wsgi.py, apps.py); other
trackers (Rollbar, Bugsnag, Honeybadger, New Relic, Datadog, Elastic APM...) in the requirements
silence the rule.

Before:
\`\`\`python
# no error tracking
\`\`\`
After:
\`\`\`python
SENTRY_DSN = os.environ.get("SENTRY_DSN")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration()],
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0.1")),
        send_default_pii=False,
    )
\`\`\``,
  check(pctx) {
    const ctx = opsContext(pctx);
    if (!ctx) return;
    if (sentryInits(ctx).length > 0) return;
    const declared = ctx.requires('sentry-sdk');
    if (!declared && OTHER_TRACKERS.some((t) => ctx.requires(t))) return;
    const fixes = () => {
      const root = prodRoot(ctx);
      if (root && /sentry_sdk\s*\.\s*init|import\s+init/.test(root.text)) return [];
      const block = sentryLines(ctx);
      return [{ title: 'Report errors to Sentry when SENTRY_DSN is set', edits: [...ctx.edit.insertLines(block.lines, block.imports), ...ctx.requirement('sentry-sdk')], safe: true }];
    };
    ctx.report({
      setting: ctx.setting('SENTRY_DSN'),
      severity: declared ? 'warning' : 'information',
      message: declared
        ? 'sentry-sdk is in the requirements but production never calls sentry_sdk.init(): errors are not reported'
        : 'Production reports errors to no tracker: exceptions are only seen by whoever reads the logs (Sentry is not set up)',
      fixes: () => fixes().filter((f) => f.edits.length > 0),
    });
  },
};

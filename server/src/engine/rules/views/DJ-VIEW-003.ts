import { addRequirementEdits } from '../../fixes/requirementsEdit';
import { cacheWarning, drfGlobalThrottle, drfThrottleRates, protectionSettings, viewIndex, editableFixes } from '../../views/context';
import type { ClassView, View } from '../../views/model';
import { RATELIMIT_PACKAGE } from '../../views/patterns';
import { headRange } from '../../views/py';
import { acceptsPost, type AuthCategory, isEndpoint, protectionOf, viewCategory } from '../../views/ratelimit';
import { classRateLimitEdits, DRF_RATE, drfRateEdits, drfThrottleEdits, fixTitle, functionRateLimitEdits, mergeFix, SCOPE_OF } from '../../views/ratelimitFix';
import { nameNode } from '../../views/viewFacts';
import type { ParsedFile } from '../../parsing/documents';
import type { Fix, TextEdit } from '../../types';
import type { ProjectContext, ProjectRule } from '../types';

const RISK: Record<AuthCategory, string> = {
  login: 'passwords can be guessed as fast as the server answers',
  password: "anyone can flood users' inboxes with reset mails and probe which accounts exist",
  signup: 'bots can create accounts in bulk',
  otp: 'a short code can be brute-forced',
};

const NOUN: Record<AuthCategory, string> = { login: 'login/token endpoint', password: 'password reset/change endpoint', signup: 'sign-up endpoint', otp: 'one-time code / verification endpoint' };

/** The one fix for a view: decorator (function), method_decorator (class) or DRF scoped throttle. */
function rateLimitFix(ctx: ProjectContext, view: View, category: AuthCategory): { fix?: Fix; usesRatelimit: boolean } {
  if (view.kind === 'class' && view.isDrf) {
    const drf = drfFix(ctx, view, category, (path) => ctx.sources.get(path));
    if (drf) return { fix: drf, usesRatelimit: false };
  }
  const requirement = addRequirementEdits(ctx.fs, ctx.project, RATELIMIT_PACKAGE);
  if (view.kind === 'class') {
    return { fix: mergeFix(fixTitle(view, '@method_decorator(ratelimit(...), name="post")', requirement), classRateLimitEdits(view), requirement), usesRatelimit: true };
  }
  return { fix: mergeFix(fixTitle(view, '@ratelimit (5 POSTs per minute per IP)', requirement), functionRateLimitEdits(view), requirement), usesRatelimit: true };
}

function drfFix(ctx: ProjectContext, view: ClassView, category: AuthCategory, read: (path: string) => ParsedFile | undefined): Fix | undefined {
  if (!ctx.profile) return undefined;
  const scope = SCOPE_OF[category];
  const global = drfGlobalThrottle(ctx);
  const rates = drfThrottleRates(ctx);
  let settingsEdits: TextEdit[] | undefined = [];
  if (!rates?.has(scope)) {
    // The rate must exist wherever the view runs (a scope without a rate raises on the first request),
    // so it goes into the REST_FRAMEWORK dict every environment reads: one assigned at module level in
    // a base module or a lone settings.py. Otherwise the view gets the django-ratelimit form instead.
    const rf = ctx.profile.setting('REST_FRAMEWORK');
    const rhs = rf.binding?.rhs;
    const file = rhs ? read(rhs.file) : undefined;
    if (rf.isDefault || !rhs || !file) return undefined;
    const prodOnly = rhs.file === ctx.project.production?.path && ctx.project.settingsModules.some((m) => m.path !== rhs.file && (m.role === 'dev' || m.role === 'test'));
    const stmt = file.root.descendantForPosition({ row: rhs.range.start.line, column: rhs.range.start.character });
    let conditional = false;
    for (let n = stmt?.parent; n; n = n.parent) if (n.type === 'if_statement' || n.type === 'try_statement' || n.type === 'function_definition') conditional = true;
    if (prodOnly || conditional) return undefined;
    settingsEdits = drfRateEdits(scope, { file: rhs.file, text: file.text, root: file.root, range: rhs.range });
    if (!settingsEdits) return undefined;
  }
  const viewEdits = drfThrottleEdits(view, scope, global === 'scoped');
  if (viewEdits.length === 0) return undefined;
  return mergeFix(`Throttle ${view.name} with DRF's ScopedRateThrottle (scope "${scope}", ${DRF_RATE})`, viewEdits, settingsEdits);
}

export const rule: ProjectRule = {
  id: 'DJ-VIEW-003',
  name: 'auth-view-without-rate-limit',
  family: 'project',
  summary: 'A login, sign-up, password-reset, token or one-time-code view accepts POST without any rate limiting',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `Django "does not throttle requests to authenticate users". A login, token, password-reset, sign-up or
one-time-code endpoint without a limit lets anyone guess passwords or codes, flood inboxes or create
accounts as fast as the server answers.

Which views: functions and classes found by content (a \`request\` first parameter, a Django/DRF view base,
directly or through the project's own base classes) whose name or route matches login, signin, token,
obtain, authenticate, password reset/forgot/change, register, signup, otp, verify, mfa, 2fa, activate or
magic link, and that accept POST (a \`post\` handler, a form/login/token library base, \`@require_POST\`, or a
body that reads \`request.POST\`/\`request.method\`/\`request.data\` or calls \`authenticate()\`). Helpers that
no URL routes to, tests, migrations and management commands are ignored.

Already protected (no finding): \`@ratelimit\` (django-ratelimit 3 or 4) on the function, \`method_decorator(ratelimit(...))\`
on the class or its \`post\`/\`dispatch\`, \`ratelimit(...)(view)\` in urls.py, DRF \`throttle_classes\` /
\`throttle_scope\` on the view or a project base class, \`@throttle_classes\`, REST_FRAMEWORK's
\`DEFAULT_THROTTLE_CLASSES\` (DRF views only), django-axes or django-defender (login views only: they lock out
failed \`authenticate()\` calls), allauth views (their \`ACCOUNT_RATE_LIMITS\` are on by default), a
rate-limiting middleware, or a limiter the view body calls (\`is_ratelimited\`, a cache counter helper).

The quick fix is one edit across files:

- function views get \`@ratelimit(key="ip", rate="5/m", method="POST", block=True)\`, placed **below**
  authentication decorators (\`@login_required\`, \`@permission_required\`, \`@user_passes_test\`: anonymous
  requests are turned away before they count) and **above** every other decorator (\`@require_POST\`,
  \`@csrf_protect\`, \`@api_view\`: the limit is checked first);
- class-based views get \`@method_decorator(ratelimit(...), name="post")\` above the class;
- DRF class views get \`throttle_classes = [ScopedRateThrottle]\` and \`throttle_scope = "login"\` (or
  \`password_reset\`, \`signup\`, \`otp\`) plus the scope's rate \`"5/min"\` in \`REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]\`
  (a scope without a rate fails on the first request). That needs a REST_FRAMEWORK dict every environment
  reads (module level in a base module or a lone settings.py); otherwise, or without REST_FRAMEWORK at all,
  they get the \`method_decorator(ratelimit(...))\` form, which depends on no setting;
- \`from django_ratelimit.decorators import ratelimit\` is added once, and \`django-ratelimit==4.1.0\` is added to
  the production requirements file when no requirements file declares it.

django-ratelimit and DRF throttling count in the cache: when production uses Django's default LocMemCache
(or Dummy, FileBased, Database caches) the message says so — each worker process keeps its own counters, and
django-ratelimit's system check rejects those backends (django_ratelimit.E003).

Before:
\`\`\`python
from django.contrib.auth import authenticate, login

def login_view(request):
    if request.method == "POST":
        user = authenticate(request, username=request.POST["username"], password=request.POST["password"])
        ...
\`\`\`
After:
\`\`\`python
from django.contrib.auth import authenticate, login
from django_ratelimit.decorators import ratelimit

@ratelimit(key="ip", rate="5/m", method="POST", block=True)
def login_view(request):
    if request.method == "POST":
        ...
\`\`\`
and in requirements.txt:
\`\`\`text
django-ratelimit==4.1.0
\`\`\``,
  check(ctx) {
    const index = viewIndex(ctx);
    const settings = protectionSettings(ctx);
    for (const view of index.views) {
      // The name-based category first: most views are not a login or a sign-up, and telling a
      // helper from an endpoint may read every call of the module.
      const category = viewCategory(index, view);
      if (!category || !isEndpoint(index, view) || !acceptsPost(view)) continue;
      const protection = protectionOf(index, view, category, settings);
      if (protection.protectedBy || protection.undecided) continue;
      // Only a DRF class view may get DRF's throttling instead of django-ratelimit, which the
      // message names: whether it can is worked out now from the settings' code (a comment does
      // not change it), the fix itself when asked for.
      const usesRatelimit = !(view.kind === 'class' && view.isDrf && drfFix(ctx, view, category, (path) => ctx.sources.code(path)));
      const kind = view.kind === 'class' ? (view.isDrf ? 'DRF view' : 'class-based view') : view.isDrf ? 'DRF view' : 'view';
      const missing = view.isDrf ? 'no throttle_classes/throttle_scope, no DEFAULT_THROTTLE_CLASSES in REST_FRAMEWORK, no @ratelimit' : 'no @ratelimit, no django-axes';
      const message =
        `\`${view.name}\` is a ${NOUN[category]} (${kind} accepting POST) without rate limiting (${missing}): ${RISK[category]}.` +
        cacheWarning(ctx, usesRatelimit ? 'django-ratelimit' : 'DRF throttling');
      ctx.report({ file: view.module.path, range: headRange(nameNode(view)), message, fixes: () => {
          const fix = rateLimitFix(ctx, view, category).fix;
          return editableFixes(ctx, fix ? [fix] : []);
        } });
    }
  },
};

import { addRequirementEdits } from '../../fixes/requirementsEdit';
import { cacheWarning, protectionSettings, viewIndex, editableFixes } from '../../views/context';
import { importEdits, ensureName } from '../../views/imports';
import { externalAuthView, isDrfClass, isRateLimitName, RATELIMIT_ARGS, RATELIMIT_PACKAGE, RATELIMIT_QUALIFIED } from '../../views/patterns';
import { nodeRange, replaceEdit } from '../../views/py';
import type { Fix } from '../../types';
import type { ProjectRule } from '../types';

/** Library URL modules that route login/token/password views, and whether they are login views. */
const AUTH_INCLUDES: Record<string, string> = {
  'django.contrib.auth.urls': "Django's auth views (login, password reset)",
  'dj_rest_auth.urls': "dj-rest-auth's login and password reset",
  'rest_auth.urls': "django-rest-auth's login and password reset",
  'djoser.urls.jwt': "djoser's JWT create endpoint",
  'djoser.urls.authtoken': "djoser's token login",
  'knox.urls': "django-rest-knox's login",
  'allauth.urls': "allauth's login, sign-up and password reset",
};

export const rule: ProjectRule = {
  id: 'DJ-URL-004',
  name: 'auth-url-without-rate-limit',
  family: 'project',
  summary: "A library login/token view (LoginView, obtain_auth_token, TokenObtainPairView, django.contrib.auth.urls...) is routed without brute-force protection",
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `Django "does not throttle requests to authenticate users", and neither do \`LoginView\`, DRF's \`obtain_auth_token\`,
SimpleJWT's \`TokenObtainPairView\` or the views behind \`include("django.contrib.auth.urls")\`. Routed as they are,
they let anyone try passwords as fast as the server answers. (The project's own login views are DJ-VIEW-003.)

Not reported when something limits them: \`ratelimit(...)(view)\` in the route, django-axes or django-defender
installed, a rate-limiting middleware, DRF's \`DEFAULT_THROTTLE_CLASSES\` (for DRF views), allauth's
\`ACCOUNT_RATE_LIMITS\` (on by default; reported only when set to \`False\`).

The quick fix wraps the view in django-ratelimit — \`ratelimit(key="ip", rate="5/m", method="POST", block=True)(view)\`
— adds the import and \`django-ratelimit==4.1.0\` to the production requirements. \`include()\`d URL modules
have no single view to wrap: install django-axes, or route the login view yourself before the include.

Before:
\`\`\`python
path("login/", LoginView.as_view(), name="login"),
\`\`\`
After:
\`\`\`python
from django_ratelimit.decorators import ratelimit

path("login/", ratelimit(key="ip", rate="5/m", method="POST", block=True)(LoginView.as_view()), name="login"),
\`\`\``,
  check(ctx) {
    const index = viewIndex(ctx);
    const settings = protectionSettings(ctx);
    const rootKnown = !!index.urls.root;
    for (const p of index.urls.patterns) {
      if (rootKnown && !p.reachable) continue;
      if (p.wrappers.some((w) => isRateLimitName(w.name) || (w.qualified ? isRateLimitName(w.qualified) : false))) continue;
      if (settings.limitingMiddleware) continue;
      const mod = p.module;
      if (p.include?.name && !p.include.module) {
        const what = AUTH_INCLUDES[p.include.name];
        if (!what) continue;
        if (p.include.name === 'allauth.urls' && !settings.allauthLimitsDisabled) continue;
        if (settings.lockout) continue;
        const drf = /rest|djoser|knox/.test(p.include.name);
        if (drf && settings.drfThrottle !== 'none') continue;
        ctx.report({
          file: mod.path,
          range: nodeRange(p.node),
          message: `include("${p.include.name}") routes ${what} without brute-force protection: passwords can be guessed as fast as the server answers. Install django-axes (locks out repeated failures) or route the login view yourself, wrapped in ratelimit(...), before this include.`,
        });
        continue;
      }
      if (!p.external || !p.viewArg) continue;
      const category = externalAuthView(p.external);
      if (!category) continue;
      const drf = isDrfClass(p.external) || /obtain_auth_token|obtain_jwt_token/.test(p.external);
      if (drf && settings.drfThrottle !== 'none') continue;
      if (settings.lockout && category === 'login') continue;
      const rl = (() => {
        for (const q of RATELIMIT_QUALIFIED) {
          const e = mod.expressionFor(q);
          if (e && q.startsWith('django_ratelimit')) return { expr: e, imports: [] as string[] };
        }
        return ensureName(mod, RATELIMIT_QUALIFIED[0]!, 'dj_ratelimit');
      })();
      const requirement = addRequirementEdits(ctx.fs, ctx.project, RATELIMIT_PACKAGE);
      const fix: Fix = {
        title: `Wrap ${p.external.split('.').pop()} in ratelimit (5 POSTs per minute per IP)${requirement.length ? ' and add django-ratelimit to the requirements' : ''}`,
        edits: [...importEdits(mod, rl.imports), replaceEdit(mod.path, p.viewArg, `${rl.expr}(${RATELIMIT_ARGS})(${p.viewArg.text})`), ...requirement],
        safe: true,
      };
      const name = p.external.split('.').pop();
      ctx.report({
        file: mod.path,
        range: nodeRange(p.viewArg),
        message: `${name} is routed${p.fullRoute !== undefined ? ` at /${p.fullRoute}` : ''} without rate limiting or lockout: passwords can be guessed as fast as the server answers.` + cacheWarning(ctx),
        fixes: () => editableFixes(ctx, [fix]),
      });
    }
  },
};

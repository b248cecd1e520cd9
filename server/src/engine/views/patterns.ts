// Shared name patterns and library knowledge for view and URL analysis (spec §b.3).

/**
 * AUTH_VIEW_NAMES (spec §b.3), tested on snake_case names word by word (`LoginView` → `login_view`,
 * `CustomTokenObtainPairView` → `custom_token_obtain_pair_view`), so `catalog_index` never matches
 * `log`-anything. A few inflections are accepted too (registration, activation, verification).
 */
const AUTH_WORDS =
  '(login|log_in|signin|sign_in|logon|authenticate|token|obtain|password_?(reset|forgot|change)|reset_password|change_password|forgot|forgot_password|' +
  'register|registration|signup|sign_up|otp|verify|verification|mfa|2fa|two_factor|activate|activation|magic|magic_link)';
export const AUTH_VIEW_NAME = new RegExp(`(^|_)${AUTH_WORDS}(_|$)`);

export const WEBHOOK_NAME = /(^|_)(webhook|webhooks|hook|callback|ipn|notify|notification|stripe|paypal|razorpay|twilio|github|slack)(_|$)/;

/** HEALTH_ROUTES (spec §b.3), tested on the last segment of a route. */
export const HEALTH_SEGMENT = /^_?(health|healthz|healthcheck|health[-_]check|ht|ready|readyz|readiness|live|livez|liveness|ping|status|up)$/i;
export const HEALTH_VIEW_NAME = /(^|_)(health|healthz|healthcheck|health_check|liveness|readiness|livez|readyz)(_|$)/;

/** Route text → its literal segments (regex anchors and named groups stripped). */
export function routeSegments(route: string): string[] {
  return route
    .replace(/^\^/, '')
    .replace(/\$$/, '')
    .split('/')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Does a route contain a path converter or regex group (a parameterised segment)? */
export function routeHasParameters(route: string): boolean {
  return /[<(\[\\*+?]/.test(route);
}

export function isHealthRoute(route: string): boolean {
  if (routeHasParameters(route)) return false;
  const segs = routeSegments(route);
  const last = segs[segs.length - 1];
  return !!last && HEALTH_SEGMENT.test(last);
}

export const CSRF_EXEMPT = 'django.views.decorators.csrf.csrf_exempt';
export const CSRF_PROTECT = 'django.views.decorators.csrf.csrf_protect';
export const METHOD_DECORATOR = 'django.utils.decorators.method_decorator';
export const RATELIMIT_QUALIFIED = ['django_ratelimit.decorators.ratelimit', 'ratelimit.decorators.ratelimit'];
export const RATELIMIT_ARGS = 'key="ip", rate="5/m", method="POST", block=True';
export const RATELIMIT_PACKAGE = 'django-ratelimit';

/** Decorators that authenticate the user: the rate limit goes below them (spec: "below @login_required"). */
export const AUTH_DECORATORS = /^(login_required|permission_required|user_passes_test|staff_member_required|superuser_required)$/;

/** Decorators restricting methods to safe ones (the view never accepts POST). */
export const SAFE_ONLY_DECORATORS = /^(require_GET|require_safe)$/;

/** Does a decorator/callee name look like a rate limiter of any library or the project's own? */
export function isRateLimitName(name: string): boolean {
  return /ratelimit|rate_limit|throttl|limiter|limit_requests|brute/i.test(name);
}

/** Library classes that are views. */
export function isExternalViewClass(qualified: string): boolean {
  const last = qualified.split('.').pop()!;
  if (/Mixin$/.test(last)) return false;
  return /(View|ViewSet|APIView|ViewBase)$/.test(last) || /^Obtain\w*Token$|^ObtainAuthToken$/.test(last);
}

const DRF_PACKAGES = /^(rest_framework|rest_framework_simplejwt|rest_framework_jwt|dj_rest_auth|rest_auth|knox|djoser|drf_\w+|oauth2_provider\.views\.generic)\b/;

export function isDrfClass(qualified: string): boolean {
  const last = qualified.split('.').pop()!;
  return DRF_PACKAGES.test(qualified) || /APIView$|ViewSet$/.test(last);
}

/** Library base classes that accept POST (form and create views, login/token views). */
export function externalAcceptsPost(qualified: string): boolean {
  const last = qualified.split('.').pop()!;
  return /(FormView|CreateView|UpdateView|DeleteView|LoginView|PasswordResetView|PasswordChangeView|PasswordResetConfirmView|SignupView|RegisterView|ObtainAuthToken|TokenObtain\w*View|TokenViewBase|TokenRefreshView|CreateAPIView|ListCreateAPIView|ModelViewSet|ProcessFormView|BaseFormView|ObtainJSONWebToken|VerifyView|ConfirmEmailView)$/.test(last);
}

/** Library auth views and their category, when referenced by name (LoginView, TokenObtainPairView...). */
export function externalAuthView(qualified: string): string | undefined {
  const last = qualified.split('.').pop()!;
  if (/^(LoginView|ObtainAuthToken|TokenObtain\w*View|ObtainJSONWebToken|TokenViewBase)$/.test(last)) return 'login';
  if (/^(PasswordResetView|PasswordResetConfirmView|PasswordChangeView)$/.test(last)) return 'password';
  if (/^(SignupView|RegisterView)$/.test(last)) return 'signup';
  if (/^obtain_auth_token$|^obtain_jwt_token$/.test(last)) return 'login';
  return undefined;
}

export const ALLAUTH_PREFIX = 'allauth.';

/** Cache backends a rate limiter cannot share between worker processes (django_ratelimit.E003). */
export const UNSHARED_CACHES: Record<string, string> = {
  'django.core.cache.backends.locmem.LocMemCache': 'keeps separate counters in each worker process (and loses them on restart)',
  'django.core.cache.backends.dummy.DummyCache': 'stores nothing, so nothing is ever limited',
  'django.core.cache.backends.filebased.FileBasedCache': 'does not increment counters atomically',
  'django.core.cache.backends.db.DatabaseCache': 'does not increment counters atomically',
};

// Facts about a view's body and wrapping that several rules share: does it rely on the session
// cookie, authenticate with a header token, verify a webhook signature, speak JSON, which routes
// reach it, and the name used for pattern matching.
import type { SyntaxNode } from '../parsing/syntax';
import type { ModuleResolver } from './imports';
import { classDecorators, type Decorator, type View, type ViewIndex } from './model';
import { snakeCase } from './py';

export function viewText(view: View): string {
  return view.node.text;
}

const SESSION_USE = /\brequest\.(user|session)\b|\bself\.request\.(user|session)\b|\blogin\(\s*request\b/;
// A header carrying a token or key, standard or the project's own (LAVA's HTTP_LAVA_TOKEN), but not
// the CSRF token itself.
const TOKEN_AUTH = /HTTP_AUTHORIZATION|HTTP_(?!\w*CSRF)\w*(?:TOKEN|API_?KEY)\b|headers(?:\.get\(|\[)\s*["'](?![\w-]*csrf)[\w-]*(?:authorization|api-?key|token)[\w-]*["']|\bBearer\b/i;
const SIGNATURE = /construct_event|compare_digest|constant_time_compare|verify_webhook_signature|verify_signature|validate_signature|verify_hmac|hmac\.new|RequestValidator|Webhook\.verify|X-Hub-Signature|HTTP_X_HUB_SIGNATURE|Stripe-Signature|HTTP_STRIPE_SIGNATURE|X-Signature|HTTP_X_SIGNATURE|X-Twilio-Signature|HTTP_X_TWILIO_SIGNATURE|X-Razorpay-Signature|HTTP_X_RAZORPAY_SIGNATURE|webhook_secret|signing_secret/i;
const JSON_API = /JsonResponse|json\.loads\(\s*request\.body|request\.data\b|application\/json/;

const AUTH_DECORATOR_NAMES = /^(login_required|permission_required|user_passes_test|staff_member_required|superuser_required)$/;
const AUTH_MIXINS = /^(LoginRequiredMixin|PermissionRequiredMixin|UserPassesTestMixin|StaffuserRequiredMixin|SuperuserRequiredMixin)$/;

export function allDecorators(resolver: ModuleResolver, view: View): Decorator[] {
  return view.kind === 'class' ? classDecorators(resolver, view) : view.decorators;
}

/** Is the view restricted to logged-in users (decorator, method_decorator or mixin)? */
export function requiresLogin(resolver: ModuleResolver, view: View): boolean {
  for (const d of allDecorators(resolver, view)) {
    if (AUTH_DECORATOR_NAMES.test(d.name)) return true;
    if (d.applies?.some((a) => AUTH_DECORATOR_NAMES.test(a.name))) return true;
  }
  if (view.kind === 'class') {
    if (view.externalBases.some((b) => AUTH_MIXINS.test(b.split('.').pop()!))) return true;
    if (/@method_decorator\(\s*(login_required|permission_required|user_passes_test)/.test(view.node.text)) return true;
  }
  return false;
}

export function usesSession(view: View): boolean {
  return SESSION_USE.test(viewText(view));
}

export function usesTokenHeader(view: View): boolean {
  return TOKEN_AUTH.test(viewText(view));
}

export function verifiesSignature(view: View): boolean {
  return SIGNATURE.test(viewText(view));
}

export function looksLikeJsonApi(view: View): boolean {
  return JSON_API.test(viewText(view));
}

/** Full literal routes that reach a view. */
export function routesOf(index: ViewIndex, view: View): string[] {
  return (index.urls.byView.get(view.key) ?? []).map((p) => p.fullRoute ?? p.route).filter((r): r is string => r !== undefined);
}

/** The snake_case name used for pattern matching (class names lose a trailing View/ViewSet). */
export function matchName(view: View): string {
  return snakeCase(view.name);
}

/** Route text turned into words for name patterns: `api/auth/token/` → `api_auth_token`. */
export function routeWords(route: string): string {
  return route
    .replace(/<[^>]*>|\(\?P<[^>]*>[^)]*\)/g, '')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}

/** The definition's name identifier (what findings about a whole view underline). */
export function nameNode(view: View): SyntaxNode {
  return view.node.childForFieldName('name') ?? view.node;
}

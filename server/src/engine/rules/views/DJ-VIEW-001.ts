import { viewIndex, middleware, editableFixes, moduleParts, textFacts } from '../../views/context';
import { type CsrfSite, findCsrfExemptions } from '../../views/csrf';
import type { SyntaxNode } from '../../parsing/syntax';
import { ensureName, importEdits, type PyModule, removeImportEdit } from '../../views/imports';
import { CSRF_PROTECT, WEBHOOK_NAME } from '../../views/patterns';
import { callParts, deleteLinesEdit, nodeLocation, nodeRange, ownsLines, removeListElementEdit, replaceEdit, snakeCase } from '../../views/py';
import { looksLikeJsonApi, matchName, nameNode, requiresLogin, routeWords, routesOf, usesSession, usesTokenHeader, verifiesSignature } from '../../views/viewFacts';
import type { Fix, RelatedInformation, Severity, TextEdit } from '../../types';
import { CSRF_MIDDLEWARE } from '../helpers';
import type { ProjectRule } from '../types';

/** The import of the name a site uses, when removing the site leaves it unused. */
function unusedImportEdit(mod: PyModule, site: CsrfSite): { edit: TextEdit; element: SyntaxNode; stmt: SyntaxNode } | undefined {
  const ref = site.kind === 'mixin' ? site.node : site.ref;
  if (!ref || ref.type !== 'identifier') return undefined;
  const binding = mod.imports.get(ref.text);
  if (!binding) return undefined;
  if (mod.references(ref.text).length !== 1) return undefined;
  const edit = removeImportEdit(mod, binding);
  return edit ? { edit, element: binding.element, stmt: binding.stmt } : undefined;
}

function removalEdits(site: CsrfSite): TextEdit[] {
  const mod = site.module;
  const edits: TextEdit[] = [];
  switch (site.kind) {
    case 'decorator':
      edits.push(ownsLines(mod.text, site.node) ? deleteLinesEdit(mod.path, mod.text, site.node) : replaceEdit(mod.path, site.node, ''));
      break;
    case 'method_decorator':
      if (site.listElement) edits.push(removeListElementEdit(mod.path, site.listElement.list, site.listElement.element));
      else edits.push(ownsLines(mod.text, site.node) ? deleteLinesEdit(mod.path, mod.text, site.node) : replaceEdit(mod.path, site.node, ''));
      break;
    case 'call':
      edits.push(replaceEdit(mod.path, site.node, site.argument!.text));
      break;
    case 'mixin':
      edits.push(removeListElementEdit(mod.path, site.node.parent!, site.node));
      break;
  }
  const imp = unusedImportEdit(mod, site);
  if (imp) edits.push(imp.edit);
  return edits;
}

function protectEdits(site: CsrfSite): TextEdit[] | undefined {
  const mod = site.module;
  const ref = site.ref;
  if (!ref || site.kind === 'mixin') return undefined;
  if (ref.type === 'attribute') {
    // `django.views.decorators.csrf.csrf_exempt` / `csrf.csrf_exempt`: swap the last name.
    const attr = ref.childForFieldName('attribute')!;
    return [replaceEdit(mod.path, attr, 'csrf_protect')];
  }
  const unused = unusedImportEdit(mod, site);
  const existing = mod.expressionFor(CSRF_PROTECT);
  if (!existing && unused && unused.stmt.childForFieldName('module_name')?.text === 'django.views.decorators.csrf') {
    // The exempt import becomes unused: turn it into the csrf_protect import.
    return [replaceEdit(mod.path, ref, 'csrf_protect'), replaceEdit(mod.path, unused.element, 'csrf_protect')];
  }
  const name = ensureName(mod, CSRF_PROTECT);
  const edits: TextEdit[] = [replaceEdit(mod.path, ref, name.expr)];
  if (unused) edits.push(unused.edit);
  edits.push(...importEdits(mod, name.imports));
  return edits;
}

function describe(site: CsrfSite): { what: string; subject: string } {
  const subject = site.view ? `\`${site.view.name}\`` : site.argument ? `\`${site.argument.text.replace(/\(.*$/s, '()')}\`` : 'this view';
  const what =
    site.kind === 'decorator' ? `@${site.ref!.text}` : site.kind === 'method_decorator' ? `method_decorator(${site.ref!.text})` : site.kind === 'call' ? `${site.ref!.text}(...)` : 'CsrfExemptMixin';
  return { what, subject };
}

export const rule: ProjectRule = {
  id: 'DJ-VIEW-001',
  name: 'csrf-exempt',
  family: 'project',
  summary: 'A view is exempt from CSRF protection (csrf_exempt decorator, method_decorator, csrf_exempt(view) in urls.py, CsrfExemptMixin)',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `Django's \`CsrfViewMiddleware\` rejects POST, PUT, PATCH and DELETE requests that do not carry the CSRF
token of the user's session, so another site cannot make a logged-in user's browser submit them.
\`csrf_exempt\` turns that off for one view, whatever form it takes:

- \`@csrf_exempt\`, an aliased import (\`from django.views.decorators.csrf import csrf_exempt as ce\`), the dotted
  \`@django.views.decorators.csrf.csrf_exempt\`, or a project module re-exporting it;
- \`@method_decorator(csrf_exempt, name="dispatch")\` on a class-based view, or on its \`dispatch\`/\`post\`;
- \`csrf_exempt(view)\` around a view, usually in urls.py: \`path("hook/", csrf_exempt(HookView.as_view()))\`;
- django-braces' \`CsrfExemptMixin\`.

Severity:

- **error** when the view acts on the logged-in user (\`request.user\`, \`request.session\`, \`@login_required\`,
  \`LoginRequiredMixin\`): a classic cross-site request forgery target;
- **warning** otherwise;
- **warning without a fix** for webhooks (name or route like webhook, callback, ipn, stripe, paypal...) that never
  verify the sender's signature: the provider cannot send a CSRF token, so the exemption itself is expected,
  but then the signature check (\`stripe.Webhook.construct_event\`, \`hmac.compare_digest\`) is what
  authenticates the caller;
- **information** for webhooks that verify a signature, and for views that authenticate with a token header
  (\`Authorization\`, \`X-API-Key\`) and never use the session: CSRF only matters for cookie-authenticated
  requests;
- **hint** on Django REST framework views (\`APIView\`, viewsets, \`@api_view\`): DRF already exempts them from the
  middleware and enforces CSRF itself inside \`SessionAuthentication\` (token and JWT authentication make CSRF
  moot), so the exemption is redundant.

Quick fixes: remove the exemption (and its import when nothing else uses it); or replace it with
\`csrf_protect\` (preferred when \`CsrfViewMiddleware\` is missing from MIDDLEWARE, as in seed S0's suggested
fix). Views that look like JSON APIs carry a note explaining the token-header alternative: keep the
exemption only if clients authenticate with a header instead of the session cookie.

Before:
\`\`\`python
from django.views.decorators.csrf import csrf_exempt

@csrf_exempt
def update_profile(request):
    request.user.email = request.POST["email"]
    request.user.save()
\`\`\`
After:
\`\`\`python
def update_profile(request):
    request.user.email = request.POST["email"]
    request.user.save()
\`\`\``,
  check(ctx) {
    const index = viewIndex(ctx);
    const mw = middleware(ctx);
    const csrfMiddlewareMissing = !!ctx.profile && !mw.partial && !mw.items.includes(CSRF_MIDDLEWARE);
    for (const site of findCsrfExemptions(index, textFacts(ctx), moduleParts(ctx))) {
      const { what, subject } = describe(site);
      const view = site.view;
      const routes = view ? routesOf(index, view) : [];
      const names = [view ? matchName(view) : site.argument ? snakeCase(site.argument.text.replace(/\.as_view\(.*$/s, '').split('.').pop() ?? '') : '', ...routes.map(routeWords)];
      // A csrf_exempt(view) call inside path("webhook/", ...) names its route directly.
      const enclosingRoute = site.kind === 'call' ? site.node.parent?.parent : undefined;
      if (enclosingRoute?.type === 'call') {
        const first = callParts(enclosingRoute)?.positional[0];
        if (first && /^["']/.test(first.text)) names.push(routeWords(first.text));
      }
      const isWebhook = names.some((n) => WEBHOOK_NAME.test(n));
      let severity: Severity = 'warning';
      let message: string;
      let fixable = true;
      const related: RelatedInformation[] = [];
      if (view?.isDrf) {
        severity = 'hint';
        message = `${subject} is a Django REST framework view, which DRF already exempts from Django's CSRF middleware; DRF enforces CSRF itself only in SessionAuthentication (token and JWT authentication make it moot), so ${what} is redundant`;
      } else if (isWebhook && view && verifiesSignature(view)) {
        severity = 'information';
        fixable = false;
        message = `${subject} is a webhook exempt from CSRF (${what}): acceptable, because the provider cannot send a CSRF token and the view verifies the sender's signature`;
      } else if (isWebhook) {
        fixable = false;
        message = `${subject} looks like a webhook and is exempt from CSRF (${what}), which providers need, but it never verifies the request signature: anyone can post forged events to it. Verify the provider's signature (e.g. stripe.Webhook.construct_event, or hmac.compare_digest against a shared secret) before acting on the payload`;
      } else if (view && usesTokenHeader(view) && !usesSession(view) && !requiresLogin(index.resolver, view)) {
        severity = 'information';
        fixable = false;
        message = `${subject} is exempt from CSRF (${what}) and authenticates with a token header: CSRF only protects cookie-authenticated requests, so this is acceptable as long as the view never relies on the session`;
      } else if (view && (usesSession(view) || requiresLogin(index.resolver, view))) {
        severity = 'error';
        message = `${subject} is exempt from CSRF protection (${what}) but acts on the logged-in user (session cookie): any site the user visits can submit this request on their behalf`;
      } else {
        message = `${subject} is exempt from CSRF protection (${what}): another site can make a logged-in user's browser submit it`;
      }
      if (csrfMiddlewareMissing && severity !== 'hint') message += '. CsrfViewMiddleware is not in MIDDLEWARE either, so only csrf_protect would protect this view';
      const graphql = !view && site.argument && /graphql/i.test(site.argument.text);
      if (fixable && severity !== 'hint' && ((view && looksLikeJsonApi(view)) || graphql)) {
        related.push({
          location: view ? nodeLocation(view.module.path, nameNode(view)) : nodeLocation(site.module.path, site.node),
          message:
            'JSON API? Browser clients using the session cookie can send the token in the X-CSRFToken header (read the csrftoken cookie). Keep the exemption only if every client authenticates with a token header (Authorization) instead of the session cookie, and then suppress this finding.',
        });
      }
      // The edits are worked out when a fix is asked for.
      const fixes = (): Fix[] => {
        if (!fixable) return [];
        const remove: Fix = { title: site.kind === 'call' ? `Remove ${site.ref!.text}(...) around the view` : site.kind === 'mixin' ? 'Remove CsrfExemptMixin' : `Remove ${what}`, edits: removalEdits(site), safe: true };
        const protect = severity === 'hint' ? undefined : protectEdits(site);
        const protectFix: Fix | undefined = protect ? { title: `Replace ${site.ref!.text} with csrf_protect`, edits: protect, safe: true } : undefined;
        if (csrfMiddlewareMissing && protectFix) return [protectFix, { ...remove, safe: false }];
        return protectFix ? [remove, { ...protectFix, safe: false }] : [remove];
      };
      ctx.report({ file: site.module.path, range: nodeRange(site.node), message, severity, fixes: () => editableFixes(ctx, fixes()), related: related.length ? related : undefined });
    }
  },
};

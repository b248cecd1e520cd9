import { viewIndex, editableFixes, moduleParts, textFacts } from '../../views/context';
import { FORMAT_HTML, findHtmlSites, formatHtmlArgs, type HtmlSite, mayHoldHtml } from '../../views/html';
import { ensureName, importEdits, removeImportEdit } from '../../views/imports';
import { callParts, nodeLocation, nodeRange, replaceEdit } from '../../views/py';
import type { Fix, TextEdit } from '../../types';
import type { ProjectRule } from '../types';

function rewrite(site: HtmlSite): Fix | undefined {
  if (!site.formatted || site.via) return undefined;
  const args = formatHtmlArgs(site.formatted);
  if (!args) return undefined;
  const mod = site.module;
  const parts = callParts(site.call)!;
  if (parts.positional.length !== 1 || parts.keywords.size > 0) return undefined;
  // A value that may hold markup on purpose (`html`, `icon`...) would be escaped by the rewrite.
  if (mayHoldHtml(site.formatted)) return undefined;
  const safe = true;
  if (site.api === 'format_html') {
    return { title: 'Pass the values to format_html so they are escaped', edits: [replaceEdit(mod.path, site.arg, [args.literal, ...args.args].join(', '))], safe };
  }
  const fh = ensureName(mod, FORMAT_HTML);
  const edits: TextEdit[] = [replaceEdit(mod.path, site.call, `${fh.expr}(${[args.literal, ...args.args].join(', ')})`), ...importEdits(mod, fh.imports)];
  if (site.callee.type === 'identifier' && mod.references(site.callee.text).length === 1) {
    const b = mod.imports.get(site.callee.text);
    const e = b ? removeImportEdit(mod, b) : undefined;
    if (e) edits.push(e);
  }
  return { title: `Replace ${site.callee.text}(...) with format_html(...), which escapes the values`, edits, safe };
}

export const rule: ProjectRule = {
  id: 'DJ-VIEW-009',
  name: 'mark-safe-with-data',
  family: 'project',
  summary: 'mark_safe()/SafeString() on a string formatted from data, or format_html() given an already formatted string',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `Django escapes every value a template prints, unless the value is marked safe. \`mark_safe(f"<b>{name}</b>")\`
marks the whole string safe, including \`name\`: if it holds \`<script>\`, the browser runs it (cross-site scripting).
\`format_html("<b>{}</b>", name)\` escapes each value and marks only the template part safe — but only for
values passed as arguments: \`format_html(f"<b>{name}</b>")\` formats first and escapes nothing.

Reported in every application module (views, template tags, admin, models, forms): \`mark_safe\`,
\`SafeString\`/\`SafeText\` on an f-string, \`%\`, \`.format()\` or \`+\` built string with non-literal parts
(directly, or through a variable built that way in the same function, e.g. \`html += f"<li>{item}</li>"\`) or
on request data; \`format_html\` whose first argument is such a string. Values already escaped
(\`escape()\`, \`conditional_escape()\`, \`format_html()\`) or numeric (\`int()\`, \`len()\`) do not count.
Request data makes it an **error**.

Quick fix for the direct forms: rewrite to \`format_html("<literal with {}>", values...)\` (adding the import,
removing \`mark_safe\`'s when unused). It is not offered when a value looks like it holds HTML on purpose
(\`html\`, \`icon\`, \`widget\`...), which escaping would change.

Before:
\`\`\`python
from django.utils.safestring import mark_safe

def badge(user):
    return mark_safe(f'<span class="badge">{user.display_name}</span>')
\`\`\`
After:
\`\`\`python
from django.utils.html import format_html

def badge(user):
    return format_html('<span class="badge">{}</span>', user.display_name)
\`\`\``,
  check(ctx) {
    const index = viewIndex(ctx);
    for (const site of findHtmlSites(index, textFacts(ctx), moduleParts(ctx))) {
      const name = site.callee.text;
      const how = site.formatted ? { fstring: 'an f-string', percent: '%-formatting', format: '.format()', concat: 'string concatenation' }[site.formatted.form] : 'request data';
      const message =
        site.api === 'format_html'
          ? `${name}() is given a string already built with ${how}: the interpolated values are not escaped. Pass them as arguments: format_html("<b>{}</b>", value)`
          : `${name}() marks a string built with ${how}${site.fromRequest && site.formatted ? ' from request data' : ''}${site.via ? ' (through a variable)' : ''} as safe HTML: a value containing markup runs in the browser (XSS). Use format_html(), which escapes the values, or escape() them`;
      const fix = rewrite(site);
      ctx.report({
        file: site.module.path,
        range: nodeRange(site.call),
        message,
        severity: site.fromRequest ? 'error' : 'warning',
        fixes: () => editableFixes(ctx, fix ? [fix] : []),
        related: site.via ? [{ location: nodeLocation(site.module.path, site.via), message: 'the HTML is built here' }] : undefined,
      });
    }
  },
};

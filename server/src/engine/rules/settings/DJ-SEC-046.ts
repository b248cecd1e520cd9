import { LiteralEditor, isInside, replaceNode } from '../../fixes/literalEdit';
import { dictGetStr, isSequence, pyRepr, truthy } from '../../settings/value';
import { whenUnset } from '../helpers';
import type { SettingsRule } from '../types';

const ENGINES = new Set(['django.template.backends.django.DjangoTemplates', 'django.template.backends.jinja2.Jinja2']);

export const rule: SettingsRule = {
  id: 'DJ-SEC-046',
  name: 'template-autoescape-off',
  family: 'settings',
  summary: 'A template engine has autoescaping switched off',
  defaultSeverity: 'error',
  djangoChecks: [],
  docs: `\`"autoescape": False\` in a \`TEMPLATES\` engine's \`OPTIONS\` makes every \`{{ variable }}\` render raw HTML: any
user-controlled text (a name, a comment, a search term) becomes stored or reflected cross-site
scripting. Escape by default and mark the few trusted fragments with \`|safe\` or \`mark_safe\`.

Before:
\`\`\`python
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "OPTIONS": {"autoescape": False}}]
\`\`\`
After:
\`\`\`python
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "OPTIONS": {"autoescape": True}}]
\`\`\``,
  check(ctx) {
    const s = ctx.setting('TEMPLATES');
    const v = s.value;
    if (!isSequence(v)) return;
    const lit = new LiteralEditor(ctx.edit);
    for (const engine of v.items) {
      if (engine.kind !== 'dict') continue;
      const backend = dictGetStr(engine, 'BACKEND');
      if (backend?.kind !== 'str' || !ENGINES.has(backend.value)) continue;
      const options = dictGetStr(engine, 'OPTIONS');
      const autoescape = options?.kind === 'dict' ? dictGetStr(options, 'autoescape') : undefined;
      if (!autoescape || truthy(autoescape) !== false) continue;
      // Rewrite the value only where it is written inside the engine's own literal.
      const at = lit.nodeOf(autoescape);
      const parent = at?.node.parent;
      const inPair = !!at && parent?.type === 'pair' && parent.childForFieldName('value') === at.node && isInside(autoescape.src, engine.src);
      const fixes = autoescape.env
        ? lit.replaceFallback(autoescape, 'True', 'Escape by default when the variable is unset')
        : inPair && at
          ? [{ title: 'Turn autoescaping back on', edits: [replaceNode(at.file, at.node, 'True')], safe: true }]
          : [];
      ctx.report({
        setting: s,
        at: autoescape.env?.fallback ?? autoescape.src,
        message: `${backend.value.split('.').pop()} has autoescape ${pyRepr(autoescape)}${whenUnset(autoescape)}: every {{ variable }} renders raw HTML, so user input becomes cross-site scripting`,
        fixes,
      });
    }
  },
};

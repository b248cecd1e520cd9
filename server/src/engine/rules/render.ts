// Renders rule documentation (docs/rules/<ID>.md) and the README's rule table from the registry, so
// the text users read and the code that runs cannot drift apart (a test compares them).
import { RULES } from './index';
import type { Rule } from './types';

export function ruleMarkdown(rule: Rule): string {
  const checks = rule.djangoChecks.length ? rule.djangoChecks.map((c) => `\`${c}\``).join(', ') : 'none';
  return [
    `# ${rule.id}: ${rule.name}`,
    '',
    `**${rule.summary}.**`,
    '',
    `- Default severity: ${rule.defaultSeverity}`,
    `- Mirrors Django checks: ${checks}`,
    `- Suppress with \`# django-readiness: ignore[${rule.id}]\``,
    '',
    rule.docs.trim(),
    '',
  ].join('\n');
}

export function rulesTable(): string {
  const rows = RULES.slice()
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((r) => `| [${r.id}](docs/rules/${r.id}.md) | ${r.name} | ${r.summary} | ${r.defaultSeverity} | ${r.djangoChecks.join(', ') || '–'} |`);
  return ['| Rule | Name | What it finds | Severity | Django checks |', '|---|---|---|---|---|', ...rows].join('\n');
}

export function readmeWithTable(readme: string): string {
  return readme.replace(/(<!-- rules-table:start -->)[\s\S]*?(<!-- rules-table:end -->)/, `$1\n${rulesTable()}\n$2`);
}

export function allRules(): readonly Rule[] {
  return RULES;
}

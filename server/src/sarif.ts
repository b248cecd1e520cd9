// SARIF 2.1.0 output in the shape GitHub code scanning ingests: one run, rule metadata in
// tool.driver.rules, results with relative artifact URIs and 1-based regions.
import { relative } from 'node:path';
import { RULES } from './engine/rules/index';
import type { Finding, Severity } from './engine/types';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };
export const DOCS_BASE = 'https://github.com/django-readiness/django-readiness/blob/main/docs/rules';

export function toSarif(findings: Finding[], base: string): unknown {
  const rules = RULES.map((r) => ({
    id: r.id,
    name: r.name,
    shortDescription: { text: r.summary },
    fullDescription: { text: r.docs.split('\n\n')[0]!.replace(/\s+/g, ' ') },
    help: { text: r.docs, markdown: r.docs },
    helpUri: `${DOCS_BASE}/${r.id}.md`,
    defaultConfiguration: { level: LEVEL[r.defaultSeverity] },
    properties: { tags: ['security', 'django'], djangoChecks: r.djangoChecks },
  }));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'django-readiness', informationUri: 'https://github.com/django-readiness/django-readiness', version: '0.1.0', rules } },
        results: findings.map((f) => ({
          ruleId: f.code,
          ruleIndex: index.get(f.code),
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: relative(base, f.file).split('\\').join('/'), uriBaseId: '%SRCROOT%' },
                region: {
                  startLine: f.range.start.line + 1,
                  startColumn: f.range.start.character + 1,
                  endLine: f.range.end.line + 1,
                  endColumn: f.range.end.character + 1,
                },
              },
            },
          ],
          properties: f.djangoChecks.length ? { djangoChecks: f.djangoChecks } : undefined,
        })),
      },
    ],
  };
}

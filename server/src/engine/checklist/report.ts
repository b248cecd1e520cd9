// The readiness report in Markdown (good enough to paste into a pull request) and JSON. The
// editor's "Export readiness report" command and `django-readiness checklist` both use these.
import type { Checklist, ChecklistEntry } from './model';
import { relativePosix } from '../workspace';

const ICON: Record<string, string> = { passed: '✅', failing: '❌', unknown: '❔', 'not-applicable': '➖', manual: '📝' };

function statusLabel(e: ChecklistEntry): string {
  if (e.status === 'manual') return e.checked ? 'done (manual)' : 'to do (manual)';
  if (e.status === 'not-applicable') return 'not applicable';
  return e.status;
}

export function checklistMarkdown(list: Checklist, base: string): string {
  const rel = (f: string) => relativePosix(base, f) || '.';
  const out: string[] = [];
  out.push(`# Production readiness: ${rel(list.root)}`, '');
  out.push(list.score === undefined ? 'Score: nothing applies.' : `**Score: ${list.score}%** (${list.passed} of ${list.applicable} applicable items pass)`, '');
  out.push('| Category | Passed | Status |', '|---|---|---|');
  for (const c of list.categories) out.push(`| ${c.category} | ${c.passed}/${c.applicable} | ${ICON[c.worst]} |`);
  out.push('');
  for (const c of list.categories) {
    out.push(`## ${c.category} (${c.passed}/${c.applicable})`, '');
    for (const e of c.entries) {
      const mark = e.status === 'manual' ? (e.checked ? '✅' : '📝') : ICON[e.status];
      let line = `- ${mark} **${e.item.title}**: ${statusLabel(e)}`;
      if (e.status === 'manual' && e.checked) line += ` (${[e.checkedOn, e.checkedBy].filter(Boolean).join(', ') || 'ticked'})`;
      if (e.reason) line += ` (${e.reason})`;
      out.push(line);
      for (const f of e.findings) out.push(`  - \`${rel(f.file)}:${f.range.start.line + 1}\` ${f.code}: ${f.message}`);
      if (e.status === 'manual' && !e.checked && e.evidence?.length) out.push(`  - evidence in the repository: ${e.evidence.map((x) => `\`${x}\``).join(', ')}`);
    }
    out.push('');
  }
  if (list.manualFile.problems.length) {
    out.push(`> ${rel(list.manualFile.path)}: ${list.manualFile.problems.join('; ')}`, '');
  }
  return out.join('\n');
}

export function checklistJson(list: Checklist, base: string): unknown {
  const rel = (f: string) => relativePosix(base, f) || '.';
  return {
    version: 1,
    root: rel(list.root),
    score: list.score ?? null,
    passed: list.passed,
    applicable: list.applicable,
    manualFile: { path: rel(list.manualFile.path), exists: list.manualFile.exists, problems: list.manualFile.problems },
    categories: list.categories.map((c) => ({
      category: c.category,
      passed: c.passed,
      applicable: c.applicable,
      worst: c.worst,
      items: c.entries.map((e) => ({
        id: e.item.id,
        title: e.item.title,
        kind: e.item.kind,
        status: e.status,
        why: e.item.why,
        rules: e.rules,
        reason: e.reason ?? null,
        checked: e.item.kind === 'manual' ? !!e.checked : null,
        checkedOn: e.checkedOn ?? null,
        checkedBy: e.checkedBy ?? null,
        evidence: e.evidence ?? [],
        findings: e.findings.map((f) => ({ file: rel(f.file), line: f.range.start.line + 1, code: f.code, severity: f.severity, message: f.message, range: f.range })),
      })),
    })),
  };
}

import { basename } from 'node:path';
import { models } from '../../deploy/context';
import type { Dependency } from '../../requirements/model';
import { setContains } from '../../requirements/pep440';
import { requirementLines } from '../../requirements/rulekit';
import type { ProjectRule } from '../types';

function conflict(a: Dependency, b: Dependency): boolean {
  if (a.pinned && b.specs && !setContains(b.specs, a.pinned, true)) return true;
  if (b.pinned && a.specs && !setContains(a.specs, b.pinned, true)) return true;
  return false;
}

export const rule: ProjectRule = {
  id: 'REQ-DUPLICATE',
  name: 'duplicate-requirement',
  family: 'project',
  summary: 'The same package is listed twice in what one pip install reads',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `A package listed twice in one requirements file, or in two files joined by \`-r\`, is at best
confusing (which line is the real pin?) and, when the two constraints disagree, makes pip stop with
ResolutionImpossible. Names are compared after PEP 503 normalisation (\`django_redis\` is
\`django-redis\`). Entries whose environment markers differ are left alone: they may be mutually
exclusive on purpose.

Before:
\`\`\`
Django==4.2.27
-r base.txt   # base.txt also has Django==5.2.9
\`\`\`
After:
\`\`\`
-r base.txt
\`\`\``,
  check(ctx) {
    const { deps } = models(ctx);
    const reported = new Set<Dependency>();
    for (const file of deps.files.values()) {
      if (file.role === 'constraints') continue;
      const set = deps.installSet(file.path);
      const order = deps.closure(file.path);
      set.sort((a, b) => order.indexOf(a.file) - order.indexOf(b.file) || a.range.start.line - b.range.start.line);
      const seen = new Map<string, Dependency>();
      for (const d of set) {
        const first = seen.get(d.key);
        if (!first) {
          seen.set(d.key, d);
          continue;
        }
        if ((first.marker ?? '') !== (d.marker ?? '')) continue;
        // Report the entry in the including file: that is the one to delete.
        const later = first.file === file.path && d.file !== file.path ? first : d;
        const other = later === d ? first : d;
        if (reported.has(later)) continue;
        reported.add(later);
        const clash = conflict(first, d);
        const lines = requirementLines(ctx.fs, later);
        const identical = (first.specText === d.specText) && (first.url ?? '') === (d.url ?? '');
        ctx.report({
          file: later.file,
          range: later.range,
          severity: clash ? 'error' : 'warning',
          message: clash
            ? `${later.name}${later.specText} conflicts with ${other.name}${other.specText} (${basename(other.file)}:${other.range.start.line + 1}): pip cannot satisfy both`
            : `${later.name} is also listed in ${basename(other.file)}:${other.range.start.line + 1}`,
          related: [{ location: { file: other.file, range: other.range }, message: 'the other entry' }],
          fixes: () => lines ? [{ title: `Delete this ${later.name} line`, edits: [{ file: later.file, range: lines.range, newText: '' }], safe: identical }] : [],
        });
      }
    }
  },
};

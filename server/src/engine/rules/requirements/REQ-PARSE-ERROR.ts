import { models } from '../../deploy/context';
import type { ProjectRule } from '../types';

export const rule: ProjectRule = {
  id: 'REQ-PARSE-ERROR',
  name: 'requirements-syntax',
  family: 'project',
  summary: 'A requirements file line pip cannot parse, or reads differently than it looks',
  defaultSeverity: 'error',
  djangoChecks: [],
  docs: `pip reads requirements files line by line with its own rules: a comment needs whitespace before
\`#\`, a backslash continues a line only when it is the last character, options are split on single
spaces (not tabs), a single \`=\` is not a version operator and quotes are not allowed. A line pip
cannot parse stops \`pip install\` — usually in the middle of a Docker build.

Before:
\`\`\`
django=4.2
gunicorn==23.0.0#app server
\`\`\`
After:
\`\`\`
django==4.2
gunicorn==23.0.0  # app server
\`\`\``,
  check(ctx) {
    for (const f of models(ctx).deps.files.values()) {
      for (const p of f.parsed.problems) {
        ctx.report({
          file: f.path,
          range: p.range,
          message: p.message,
          severity: p.kind === 'trailing-ws-continuation' || p.kind === 'option-on-requirement' ? 'warning' : 'error',
          fixes: () => p.fix ? [{ title: p.fix.title, edits: [{ file: f.path, range: p.fix.range, newText: p.fix.newText }], safe: true }] : [],
        });
      }
    }
  },
};

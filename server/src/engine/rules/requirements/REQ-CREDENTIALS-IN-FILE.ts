import { models } from '../../deploy/context';
import type { Range } from '../../types';
import type { ProjectRule } from '../types';

const CRED = /:\/\/([^/@\s:]+):([^/@\s]+)@/;

export const rule: ProjectRule = {
  id: 'REQ-CREDENTIALS-IN-FILE',
  name: 'requirements-credentials',
  family: 'project',
  summary: 'A requirements file contains a password or token in an index or VCS URL',
  defaultSeverity: 'error',
  djangoChecks: [],
  docs: `\`--index-url https://user:secret@pypi.example.com/simple\` or \`git+https://user:token@github.com/...\`
commits a credential to the repository and bakes it into every image layer that copies the file.
pip expands \`\${NAME}\` (upper case, digits, \`_\`) from the environment in requirements files, so
the secret can come from the build environment instead.

Before:
\`\`\`
--extra-index-url https://deploy:s3cr3t@pypi.example.com/simple
\`\`\`
After:
\`\`\`
--extra-index-url https://deploy:\${PIP_INDEX_TOKEN}@pypi.example.com/simple
\`\`\``,
  check(ctx) {
    for (const f of models(ctx).deps.files.values()) {
      const check = (value: string | undefined, range: Range | undefined, line: number) => {
        if (!value || !range) return;
        const m = CRED.exec(value);
        if (!m || /^\$\{[A-Z0-9_]+\}$/.test(m[2]!)) return;
        const text = (ctx.fs.readFile(f.path) ?? '').split(/\r?\n/)[line] ?? '';
        const col = text.indexOf(`:${m[2]}@`);
        const secretRange = col >= 0 ? { start: { line, character: col + 1 }, end: { line, character: col + 1 + m[2]!.length } } : range;
        ctx.report({
          file: f.path,
          range: secretRange,
          message: `A credential for ${m[1]} is written in this requirements file: anyone with the repository or the image can read it`,
          fixes: () => col >= 0 ? [{ title: 'Read it from ${PIP_INDEX_TOKEN} instead', edits: [{ file: f.path, range: secretRange, newText: '${PIP_INDEX_TOKEN}' }], safe: false }] : [],
        });
      };
      for (const o of f.parsed.options) check(o.value, o.valueRange, o.range.start.line);
      for (const r of f.parsed.requirements) check(r.url, r.range, r.line);
    }
  },
};

import { basename } from 'node:path';
import { models, reportDocker } from '../../deploy/context';
import { normalizeName } from '../../requirements/parse';
import { suggestVersion } from '../../requirements/rulekit';
import type { ProjectRule } from '../types';

const BOOTSTRAP = new Set(['pip', 'setuptools', 'wheel', 'pip-tools', 'uv', 'poetry', 'pipenv']);

export const rule: ProjectRule = {
  id: 'DOCKER-PIP-UNPINNED',
  name: 'docker-pip-unpinned',
  family: 'project',
  summary: 'A RUN pip install names a package without an exact == version',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `Packages installed directly in a RUN bypass the requirements files and drift on every build.
Unlike hadolint DL3013 (whose \`# hadolint ignore=DL3013\` is honoured) only \`==\` counts as pinned.
Not reported: \`-r\`/\`-c\` files, \`.\`, paths, wheels and archives, VCS URLs pinned to a commit,
arguments holding \`$\`, installs with a constraints file, and bootstrap tools
(\`pip install -U pip setuptools wheel\`).

Before:
\`\`\`dockerfile
RUN pip install --no-cache-dir gunicorn
\`\`\`
After:
\`\`\`dockerfile
RUN pip install --no-cache-dir gunicorn==23.0.0
\`\`\``,
  check(ctx) {
    const { dockerfiles, deps } = models(ctx);
    for (const d of dockerfiles) {
      for (const p of d.pipInstalls) {
        if (p.constraintFiles.length > 0 || p.flags.includes('-c') || p.flags.includes('--constraint')) continue;
        const pkgs = p.packages.filter((a) => !(a === '.' || /^[./~]/.test(a) || /\.(whl|tar\.gz|zip|tgz)$/.test(a) || a.includes('$') || /^(git|hg|svn|bzr)\+/.test(a) || /:\/\//.test(a) || /@\s*[0-9a-f]{40}/.test(a)));
        const names = pkgs.map((a) => /^([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(a)?.[1]).filter((n): n is string => !!n);
        if (names.length > 0 && names.every((n) => BOOTSTRAP.has(normalizeName(n)))) continue;
        for (const a of pkgs) {
          if (/^[A-Za-z0-9][A-Za-z0-9._-]*(\[[^\]]*\])?==[^=,;<>!~*]+$/.test(a) || a.includes('===')) continue;
          const name = /^([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(a)?.[1];
          if (!name || BOOTSTRAP.has(normalizeName(name))) continue;
          const at = d.findInInstruction(p.instr, new RegExp(`(?<=\\s|["'])${a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=\\s|["']|$)`));
          const v = suggestVersion(deps, normalizeName(name));
          const base = /^[A-Za-z0-9][A-Za-z0-9._-]*(\[[^\]]*\])?/.exec(a)![0];
          reportDocker(ctx, d, 'DL3013', {
            file: d.path,
            range: at ?? p.instr.getRange(),
            message: `pip installs ${a} without an exact version in ${basename(d.path)}: each build may install a different release`,
            fixes: () => at && v ? [{ title: `Pin ${base}==${v.version}`, edits: [{ file: d.path, range: at, newText: `${base}==${v.version}` }], safe: false }] : [],
          });
        }
      }
    }
  },
};

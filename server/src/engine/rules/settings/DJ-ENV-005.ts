import { locOf, nodesOfType } from '../environment/scan';
import type { SettingsRule } from '../types';

export const rule: SettingsRule = {
  id: 'DJ-ENV-005',
  name: 'distutils-strtobool',
  family: 'settings',
  summary: 'Settings use distutils.util.strtobool, which is gone in Python 3.12',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `\`distutils\` was removed in Python 3.12, so \`from distutils.util import strtobool\` makes the settings
fail to import on a current Python image — a popular snippet for parsing boolean environment variables
that breaks on upgrade. Parse the string directly.

Before:
\`\`\`python
from distutils.util import strtobool
DEBUG = bool(strtobool(os.getenv("DEBUG", "False")))
\`\`\`
After:
\`\`\`python
DEBUG = os.getenv("DEBUG", "False").lower() in ("1", "true", "yes")
\`\`\``,
  check(ctx) {
    const python312 = pythonAtLeast312(ctx);
    for (const { file, node } of nodesOfType(ctx, ['import_from_statement', 'import_statement'], /\bdistutils\b/)) {
      const text = node.text;
      if (!/\bdistutils\b/.test(text)) continue;
      ctx.report({
        at: locOf(file, node),
        severity: python312 ? 'error' : 'warning',
        message: python312
          ? `${text.trim()}: distutils does not exist on Python 3.12+, which this project runs (${python312}); the settings fail to import`
          : `${text.trim()}: distutils is removed in Python 3.12; the settings will fail to import after an upgrade`,
      });
    }
  },
};

/** Evidence the project runs Python ≥ 3.12: a Dockerfile base image or .python-version. */
function pythonAtLeast312(ctx: Parameters<SettingsRule['check']>[0]): string | undefined {
  const fs = ctx.edit.fileSystem;
  const root = ctx.profile.project.root;
  const pv = fs.readFile(`${root}/.python-version`);
  const pvm = pv && /^\s*3\.(\d+)/.exec(pv);
  if (pvm && Number(pvm[1]) >= 12) return `.python-version ${pv!.trim()}`;
  for (const entry of fs.list(root)) {
    if (!/^Dockerfile/i.test(entry.name)) continue;
    const text = fs.readFile(`${root}/${entry.name}`) ?? '';
    const m = /^\s*FROM\s+(?:--\S+\s+)*python:3\.(\d+)/im.exec(text);
    if (m && Number(m[1]) >= 12) return `${entry.name} FROM python:3.${m[1]}`;
  }
  return undefined;
}

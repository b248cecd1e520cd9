import { basename } from 'node:path';
import { models } from '../../deploy/context';
import { devTarget, devTier, includeLine, requirementLines, setConstraintEdit, suggestVersion } from '../../requirements/rulekit';
import type { Fix } from '../../types';
import type { ProjectRule } from '../types';

export const rule: ProjectRule = {
  id: 'REQ-DEV-PKG-IN-PROD',
  name: 'dev-package-in-production',
  family: 'project',
  summary: 'A development-only package is installed in production',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `Debug toolbars, profilers and debuggers (django-debug-toolbar, django-silk, debugpy, ipdb,
django-extensions' \`runserver_plus\` with the Werkzeug debugger) expose SQL, settings and request
bodies or open a remote debugger; test and lint tools (pytest, coverage, factory-boy, ruff, mypy...)
only make the image bigger (reported as information). Keep them in a dev requirements file that
includes the production one. django-extensions is sometimes kept on purpose for \`shell_plus\`; the
second fix pins it instead of moving it.

Before (requirements.txt):
\`\`\`
Django==5.2.9
django-debug-toolbar==4.4.6
\`\`\`
After (requirements-dev.txt):
\`\`\`
-r requirements.txt
django-debug-toolbar==4.4.6
\`\`\``,
  check(ctx) {
    const { deps } = models(ctx);
    for (const d of deps.productionDeps()) {
      const tier = devTier(d.key, deps);
      if (!tier) continue;
      const fixes: Fix[] = [];
      const lines = d.origin === 'requirements' ? requirementLines(ctx.fs, d) : undefined;
      let where = 'a dev requirements file';
      if (lines) {
        const target = devTarget(deps, d.file);
        where = basename(target.file);
        const targetText = target.exists ? (ctx.fs.readFile(target.file) ?? '') : undefined;
        const body = lines.text.replace(/\s+$/, '');
        const add = target.exists
          ? (() => {
              const all = targetText!.split('\n');
              const end = { line: all.length - 1, character: all[all.length - 1]!.length };
              return { file: target.file, range: { start: end, end }, newText: `${targetText!.endsWith('\n') || targetText === '' ? '' : '\n'}${body}\n` };
            })()
          : { file: target.file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: `${includeLine(target.file, d.file)}\n${body}\n` };
        fixes.push({ title: `Move ${d.name} to ${basename(target.file)}`, edits: [{ file: d.file, range: lines.range, newText: '' }, add], safe: target.exists });
        if (d.key === 'django-extensions' && !d.pinned) {
          const v = suggestVersion(deps, d.key);
          const edit = v ? setConstraintEdit(ctx.fs, d, `==${v.version}`) : undefined;
          if (edit) fixes.push({ title: `Keep it in production, pinned (${d.name}==${v!.version})`, edits: [edit], safe: false });
        }
      }
      ctx.report({
        file: d.file,
        range: d.range,
        severity: tier,
        message: tier === 'warning'
          ? `${d.name} is a development tool but ${basename(d.file)} installs it in production: it exposes debugging data or a debugger; move it to ${where}`
          : `${d.name} is only needed for development or tests but ${basename(d.file)} installs it in production; move it to ${where}`,
        fixes,
      });
    }
  },
};

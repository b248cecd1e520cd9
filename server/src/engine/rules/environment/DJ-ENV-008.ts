import { basename } from 'node:path';
import type { ProjectRule } from '../types';
import { lineAt } from '../../parsing/lines';

export const rule: ProjectRule = {
  id: 'DJ-ENV-008',
  name: 'production-settings-module',
  family: 'project',
  summary: 'The deployment entry point loads development settings, or no production settings can be found',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `\`wsgi.py\`/\`asgi.py\`, the Dockerfile, compose files and platform files decide which settings module
production loads (\`DJANGO_SETTINGS_MODULE\`). Pointing them at \`settings.local\` or \`settings.dev\` ships
development settings; when no module can be identified as production at all, production-only checks
cannot be decided and are shown as unknown.

Before:
\`\`\`python
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
\`\`\`
After:
\`\`\`python
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
\`\`\``,
  check(ctx) {
    const project = ctx.project;
    const prodModule = project.settingsModules.find((m) => m.role === 'production');
    for (const e of project.entryPoints) {
      if (e.kind === 'manage' || e.kind === 'pytest' || e.devFile) continue;
      const m = project.settingsModules.find((s) => s.path === e.path);
      if (!m || (m.role !== 'dev' && m.role !== 'test')) continue;
      const text = ctx.fs.readFile(e.file) ?? '';
      const line = lineAt(text, e.line) ?? '';
      const col = line.indexOf(e.moduleName);
      const range = { start: { line: e.line, character: Math.max(0, col) }, end: { line: e.line, character: col >= 0 ? col + e.moduleName.length : line.length } };
      const replacement = prodModule && prodModule.path !== m.path ? prodModule.moduleName : undefined;
      ctx.report({
        file: e.file,
        range,
        message: `${basename(e.file)} loads ${e.moduleName}, a ${m.role} settings module: production would run with development settings`,
        fixes: () => replacement && col >= 0 ? [{ title: `Load ${replacement}`, edits: [{ file: e.file, range, newText: replacement }], safe: false }] : [],
      });
    }
    if (!project.production && project.settingsModules.length > 0) {
      const anchor = project.managePy ?? project.settingsModules[0]!.path;
      ctx.report({
        file: anchor,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        severity: 'information',
        message: `No settings module is identifiable as production (modules: ${project.settingsModules.map((m) => m.moduleName).join(', ')}): name it in wsgi.py, or pass --settings`,
      });
    }
  },
};

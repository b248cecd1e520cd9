import { LiteralEditor } from '../../fixes/literalEdit';
import { atLeast } from '../../project/djangoVersion';
import type { Value } from '../../settings/value';
import { whenUnset } from '../helpers';
import type { SettingsContext, SettingsRule } from '../types';

const LIMITS = [
  { name: 'DATA_UPLOAD_MAX_MEMORY_SIZE', default: 2621440, what: 'request body size (files excluded)', unit: 'bytes' },
  { name: 'DATA_UPLOAD_MAX_NUMBER_FIELDS', default: 1000, what: 'number of form fields', unit: 'fields' },
  { name: 'DATA_UPLOAD_MAX_NUMBER_FILES', default: 100, what: 'number of uploaded files', unit: 'files' },
];

export const rule: SettingsRule = {
  id: 'DJ-SEC-049',
  name: 'upload-limits',
  family: 'settings',
  summary: 'A request size limit (DATA_UPLOAD_MAX_*) is off or ten times the default',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `Django refuses requests with a body over 2.5 MB (not counting uploaded files, which stream to disk),
more than 1000 fields or more than 100 files, before any view runs. \`None\` removes a limit, and a value
ten times the default nearly does: one request can then hold a worker's memory or CPU (parsing a
huge form), a cheap denial of service. Raising \`DATA_UPLOAD_MAX_MEMORY_SIZE\` is not needed for file
uploads; for one large JSON endpoint, read \`request.body\` in a view that checks the size itself.

Before:
\`\`\`python
DATA_UPLOAD_MAX_MEMORY_SIZE = None
\`\`\`
After:
\`\`\`python
DATA_UPLOAD_MAX_MEMORY_SIZE = 2621440
\`\`\``,
  check(ctx) {
    for (const limit of LIMITS) {
      if (limit.name === 'DATA_UPLOAD_MAX_NUMBER_FILES' && !atLeast(ctx.profile.version, 3, 2)) continue;
      const s = ctx.setting(limit.name);
      if (s.isDefault) continue;
      const v = s.value;
      const off = v.kind === 'none';
      const big = (v.kind === 'int' || v.kind === 'float') && v.value > 10 * limit.default;
      if (!off && !big) continue;
      ctx.report({
        setting: s,
        message: off
          ? `${limit.name} is None${whenUnset(v)}: no limit on the ${limit.what}, so one request can exhaust a worker`
          : `${limit.name} is ${describe(v, limit.unit)}${whenUnset(v)}, ${Math.floor((v as { value: number }).value / limit.default)} times Django's default: one request can tie up a worker`,
        fixes: () => fixFor(ctx, s, v, limit.default),
      });
    }
  },
};

function describe(v: Value, unit: string): string {
  if (v.kind !== 'int' && v.kind !== 'float') return '';
  if (unit === 'bytes' && v.value >= 1024 * 1024) return `${Math.round(v.value / (1024 * 1024))} MB`;
  return `${v.value} ${unit}`;
}

function fixFor(ctx: SettingsContext, s: ReturnType<SettingsContext['setting']>, v: Value, def: number) {
  const title = `Restore Django's default (${def})`;
  if (v.env) return new LiteralEditor(ctx.edit).replaceFallback(v, String(def), title);
  return ctx.edit.setValue(s, String(def), title);
}

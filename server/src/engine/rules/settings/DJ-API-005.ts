import { py } from '../../fixes/literalEdit';
import { DRF, dictSetting, drfFix, drfInstalled, headAnchor, keyState } from '../apiSettings';
import type { SettingsRule } from '../types';

export const rule: SettingsRule = {
  id: 'DJ-API-005',
  name: 'drf-page-size-without-pagination',
  family: 'settings',
  summary: 'REST_FRAMEWORK sets PAGE_SIZE without DEFAULT_PAGINATION_CLASS',
  defaultSeverity: 'warning',
  djangoChecks: ['rest_framework.W001'],
  docs: `Since DRF 3.7, \`PAGE_SIZE\` alone paginates nothing: \`DEFAULT_PAGINATION_CLASS\` defaults to \`None\`, so
list endpoints return every row in one response (slow pages, memory spikes, easy denial of service on
large tables). DRF reports this as \`rest_framework.W001\`. The fix adds \`PageNumberPagination\`; it
changes the shape of list responses (\`{"count", "next", "previous", "results"}\`), so it is only applied
on request, never by "fix all". If views choose their own \`pagination_class\`, silence the check
instead (\`SILENCED_SYSTEM_CHECKS = ["rest_framework.W001"]\`).

Before:
\`\`\`python
REST_FRAMEWORK = {"PAGE_SIZE": 50}
\`\`\`
After:
\`\`\`python
REST_FRAMEWORK = {
    "PAGE_SIZE": 50,
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
}
\`\`\``,
  check(ctx) {
    if (!drfInstalled(ctx)) return;
    const s = ctx.setting('REST_FRAMEWORK');
    const state = dictSetting(s);
    if (state.kind !== 'dict') return;
    const page = keyState(state.value, 'PAGE_SIZE');
    if (page.kind !== 'present' || page.value.kind === 'none' || (page.value.kind === 'unknown' && !page.value.required)) return;
    if (keyState(state.value, 'DEFAULT_PAGINATION_CLASS').kind !== 'absent') return;
    ctx.report({
      setting: s,
      at: page.value.src ?? headAnchor(s),
      message: 'PAGE_SIZE is set but DEFAULT_PAGINATION_CLASS is not: list endpoints return every row in one response',
      djangoChecks: ['rest_framework.W001'],
      fixes: () => drfFix(ctx, [], [['DEFAULT_PAGINATION_CLASS', py.str(DRF.pageNumber)]], 'Paginate list endpoints (PageNumberPagination; changes list responses)', false),
    });
  },
};

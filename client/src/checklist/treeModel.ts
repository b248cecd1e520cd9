// The checklist view's content as plain data: the server's checklist JSON turned into tree nodes
// (projects when there are several, categories, items, findings and evidence), the filter, and the
// view's summary (score message, badge). Pure: no `vscode` import, so it is unit-tested without an
// editor; view.ts maps these nodes onto TreeItems.
import type { ChecklistFindingJson, ChecklistItemJson, ChecklistStatus, ProjectChecklist } from '../../../server/src/protocol';

export type NodeKind = 'project' | 'category' | 'item' | 'finding' | 'evidence';

/** A codicon id and the theme colour id to paint it with. */
export interface IconSpec {
  id: string;
  color?: string;
}

export interface Range {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export interface TreeNode {
  /** Stable across refreshes (the view keeps expansion and selection by it). */
  id: string;
  kind: NodeKind;
  label: string;
  description?: string;
  /** Markdown. */
  tooltip?: string;
  icon: IconSpec;
  /** Drives the `viewItem == ...` menus. */
  contextValue: string;
  children: TreeNode[];
  /** Initial state of a node with children. */
  expanded: boolean;
  parentId?: string;
  /** The project root URI the node belongs to. */
  root: string;
  /** Items and what hangs under them: the item id. */
  itemId?: string;
  status?: ChecklistStatus;
  /** Manual items. */
  checkbox?: { checked: boolean; tooltip: string };
  /** Findings: the rule id. */
  code?: string;
  /** Findings and evidence: what a click opens (`path` relative to the project root). */
  open?: { root: string; path: string; range?: Range };
  accessibilityLabel: string;
}

export interface TreeOptions {
  /** Only failing items (and the categories and projects that hold them). */
  failingOnly?: boolean;
}

export const MANUAL_FILE = 'readiness-checklist.md';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Icon of an item (or of a category's worst state). */
export function statusIcon(status: ChecklistStatus, checked = false): IconSpec {
  switch (status) {
    case 'passed':
      return { id: 'pass', color: 'testing.iconPassed' };
    case 'failing':
      return { id: 'error', color: 'testing.iconFailed' };
    case 'unknown':
      return { id: 'question', color: 'problemsWarningIcon.foreground' };
    case 'not-applicable':
      return { id: 'circle-slash', color: 'disabledForeground' };
    case 'manual':
      return checked ? { id: 'pass-filled', color: 'testing.iconPassed' } : { id: 'circle-large-outline' };
  }
}

export function severityIcon(severity: ChecklistFindingJson['severity']): IconSpec {
  switch (severity) {
    case 'error':
      return { id: 'error', color: 'problemsErrorIcon.foreground' };
    case 'warning':
      return { id: 'warning', color: 'problemsWarningIcon.foreground' };
    case 'information':
      return { id: 'info', color: 'problemsInfoIcon.foreground' };
    default:
      return { id: 'lightbulb' };
  }
}

/** Words for an item's state, as the description and screen readers say it. */
export function statusText(item: ChecklistItemJson): string {
  switch (item.status) {
    case 'failing':
      return plural(item.findings.length, 'finding');
    case 'passed':
      return 'passed';
    case 'unknown':
      return 'unknown';
    case 'not-applicable':
      return 'not applicable';
    case 'manual': {
      if (!item.checked) return 'manual';
      const meta = [item.checkedOn, item.checkedBy].filter(Boolean).join(', ');
      return meta ? `manual · done ${meta}` : 'manual · done';
    }
  }
}

/** `contextValue` of an item node. */
export function itemContext(item: ChecklistItemJson): string {
  if (item.status === 'failing') return item.fixable ? 'item-failing-fixable' : 'item-failing';
  return `item-${item.status}`;
}

const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

function itemTooltip(item: ChecklistItemJson): string {
  const lines = [`**${item.title}**`, '', item.why, ''];
  switch (item.status) {
    case 'failing': {
      const fixable = item.findings.filter((f) => f.fixable).length;
      lines.push(`Failing: ${plural(item.findings.length, 'finding')}` + (fixable ? `, ${fixable} with a safe fix (Fix).` : '.'));
      break;
    }
    case 'passed':
      lines.push('Passed: no rule of this item finds anything.');
      break;
    case 'unknown':
      lines.push(`Unknown: ${item.reason ?? 'the analysis cannot decide'}.`);
      break;
    case 'not-applicable':
      lines.push(`Not applicable: ${item.reason ?? 'does not apply to this project'}.`);
      break;
    case 'manual':
      if (item.checked) {
        const meta = [item.checkedOn && `on ${item.checkedOn}`, item.checkedBy && `by ${item.checkedBy}`].filter(Boolean).join(' ');
        lines.push(`Confirmed${meta ? ` ${meta}` : ''} in ${code(MANUAL_FILE)}.`);
      } else {
        lines.push(`Manual: no analysis can prove it. Tick it when it is done; it is recorded in ${code(MANUAL_FILE)}.`);
      }
      if (item.evidence.length) lines.push('', `Evidence in the repository: ${item.evidence.map(code).join(', ')}`);
      break;
  }
  if (item.rules.length) lines.push('', `Rules: ${item.rules.join(', ')}`);
  return lines.join('\n');
}

function findingNode(f: ChecklistFindingJson, parent: TreeNode, root: string, seen: Set<string>): TreeNode {
  let id = `${parent.id}|finding|${f.code}|${f.file}|${f.range.start.line}:${f.range.start.character}`;
  for (let n = 2; seen.has(id); n++) id = `${id.replace(/#\d+$/, '')}#${n}`;
  seen.add(id);
  const where = `${f.file}:${f.line}`;
  return {
    id,
    kind: 'finding',
    label: where,
    description: f.message,
    tooltip: `**${f.code}** ${f.message}\n\n${code(where)}${f.fixable ? '\n\nA safe fix is available.' : ''}`,
    icon: severityIcon(f.severity),
    contextValue: 'finding',
    children: [],
    expanded: false,
    parentId: parent.id,
    root,
    itemId: parent.itemId,
    code: f.code,
    open: { root, path: f.file, range: f.range },
    accessibilityLabel: `${f.severity} ${f.code} at ${where}: ${f.message}`,
  };
}

function itemNode(item: ChecklistItemJson, parentId: string, root: string): TreeNode {
  const node: TreeNode = {
    id: `${root}|item|${item.id}`,
    kind: 'item',
    label: item.title,
    description: item.status === 'passed' ? undefined : statusText(item),
    tooltip: itemTooltip(item),
    icon: statusIcon(item.status, !!item.checked),
    contextValue: itemContext(item),
    children: [],
    expanded: false,
    parentId,
    root,
    itemId: item.id,
    status: item.status,
    accessibilityLabel: `${item.title}: ${statusText(item)}`,
  };
  if (item.status === 'manual') {
    node.checkbox = { checked: !!item.checked, tooltip: item.checked ? `Untick (removes the line from ${MANUAL_FILE})` : `Tick (records it in ${MANUAL_FILE})` };
    node.children = item.checked
      ? []
      : item.evidence.map((path) => ({
          id: `${node.id}|evidence|${path}`,
          kind: 'evidence' as const,
          label: path,
          description: 'evidence',
          tooltip: `${code(path)} suggests this may be done: check it, then tick the item.`,
          icon: { id: 'file' },
          contextValue: 'evidence',
          children: [],
          expanded: false,
          parentId: node.id,
          root,
          itemId: item.id,
          open: { root, path },
          accessibilityLabel: `evidence: ${path}`,
        }));
  } else {
    const seen = new Set<string>();
    node.children = item.findings.map((f) => findingNode(f, node, root, seen));
  }
  return node;
}

/** The nodes of the view: categories at the top for one project, projects above them for several. */
export function buildTree(lists: readonly ProjectChecklist[], options: TreeOptions = {}): TreeNode[] {
  const several = lists.length > 1;
  const out: TreeNode[] = [];
  for (const list of lists) {
    const root = list.rootUri;
    const projectId = root;
    const categories: TreeNode[] = [];
    for (const c of list.categories) {
      const id = `${root}|category|${c.category}`;
      const items = options.failingOnly ? c.items.filter((i) => i.status === 'failing') : c.items;
      if (items.length === 0) continue;
      const notApplicable = c.items.length - c.applicable;
      const node: TreeNode = {
        id,
        kind: 'category',
        label: c.category,
        description: `${c.passed}/${c.applicable}`,
        tooltip: `**${c.category}**: ${c.passed} of ${plural(c.applicable, 'applicable item')} pass${notApplicable ? ` (${notApplicable} not applicable)` : ''}.`,
        icon: statusIcon(c.worst === 'manual' ? 'manual' : c.worst),
        contextValue: 'category',
        children: [],
        expanded: !!options.failingOnly,
        parentId: several ? projectId : undefined,
        root,
        accessibilityLabel: `${c.category}: ${c.passed} of ${c.applicable} pass`,
      };
      node.children = items.map((i) => itemNode(i, id, root));
      categories.push(node);
    }
    if (!several) {
      out.push(...categories);
      continue;
    }
    if (categories.length === 0) continue;
    out.push({
      id: projectId,
      kind: 'project',
      label: list.name,
      description: scoreText(list.score, list.passed, list.applicable),
      tooltip: `**${list.name}**: ${list.passed} of ${plural(list.applicable, 'applicable item')} pass.`,
      icon: { id: 'project' },
      contextValue: 'project',
      children: categories,
      expanded: true,
      root,
      accessibilityLabel: `project ${list.name}: ${scoreText(list.score, list.passed, list.applicable)}`,
    });
  }
  return out;
}

function scoreText(score: number | null | undefined, passed: number, applicable: number): string {
  return `${score === null || score === undefined ? '–' : `${score}%`} · ${passed}/${applicable}`;
}

/** Every node, depth first. */
export function flatten(nodes: readonly TreeNode[]): TreeNode[] {
  return nodes.flatMap((n) => [n, ...flatten(n.children)]);
}

export type ViewState = 'loading' | 'noProject' | 'disabled' | 'ready';

export interface ViewSummary {
  state: ViewState;
  /** Shown at the top of the view: the score, and what is wrong with the manual files. */
  message?: string;
  /** Next to the view's title. */
  description?: string;
  badge?: { value: number; tooltip: string };
  failing: number;
}

export interface SummaryInput {
  /** The server answered (false while it starts or its analysis is still running). */
  ready: boolean;
  /** The language server is not running (disabled). */
  disabled?: boolean;
  failingOnly?: boolean;
}

/** What the view shows around the tree: "Readiness 42% · 12/29", the badge, the welcome state. */
export function summarize(lists: readonly ProjectChecklist[], input: SummaryInput): ViewSummary {
  if (input.disabled) return { state: 'disabled', failing: 0 };
  if (lists.length === 0) return { state: input.ready ? 'noProject' : 'loading', failing: 0 };
  const passed = lists.reduce((n, l) => n + l.passed, 0);
  const applicable = lists.reduce((n, l) => n + l.applicable, 0);
  const score = applicable > 0 ? Math.round((100 * passed) / applicable) : null;
  const failing = lists.reduce((n, l) => n + l.categories.reduce((m, c) => m + c.items.filter((i) => i.status === 'failing').length, 0), 0);
  const parts = [`Readiness ${scoreText(score, passed, applicable)}`];
  if (input.failingOnly) parts.push(failing === 0 ? 'no failing items' : `failing only (${failing})`);
  for (const l of lists) {
    if (l.manualFile.problems.length === 0) continue;
    const where = lists.length > 1 ? `${l.name}/${l.manualFile.path}` : l.manualFile.path;
    parts.push(`⚠ ${where}: ${l.manualFile.problems.join('; ')}`);
  }
  return {
    state: 'ready',
    message: parts.join(' · '),
    description: score === null ? undefined : `${score}%`,
    badge: failing > 0 ? { value: failing, tooltip: `${plural(failing, 'failing checklist item')}` } : undefined,
    failing,
  };
}

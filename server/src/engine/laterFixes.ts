// Fixes computed when someone asks for them. A rule reports `fixes: () => [...]`; the finding's
// `fixes` property runs that function on first read. Until then the rule depends only on what its
// decision read: typing a comment in a settings module no longer runs again every rule whose fix
// would insert lines into it.
//
// A finding can outlive the files its fix function saw (a rule's findings are reused while what it
// decided from is unchanged). So the fixes are trusted only while no file they read changed since
// the rule ran and the settings profile the rule ran on is still the current one; otherwise the
// owner runs the rule again on the current files and the fixes come from the new finding.
import type { ChangeMark } from './ruleCache';
import type { Finding, Fix } from './types';

/** What a rule reports as a finding's fixes: the list, or a function computing it on request. */
export type FixesOnRequest = Fix[] | (() => Fix[]);

export interface LaterFixes {
  owner: FixOwner;
  compute: () => Fix[];
  /** The rule's cache key: dropped when the rule must run again for current fixes. */
  ruleKey: string;
  /** When the rule ran. */
  mark: ChangeMark;
  /** Whether what the rule ran on (its settings profile) is still what the analysis uses. */
  basedOnCurrent: () => boolean;
  /** Runs `compute` with the rule's recording views, returning the fixes and the files read. */
  record: (compute: () => Fix[]) => { fixes: Fix[]; files: Set<string> };
  computed?: { fixes: Fix[]; files: Set<string> };
  /** The same finding from the rule's run on newer files. */
  replacedBy?: Finding;
}

export interface FixOwner {
  fixesOf(finding: Finding, later: LaterFixes): Fix[];
}

const pending = new WeakMap<Finding, LaterFixes>();

function fixesGetter(this: Finding): Fix[] {
  const later = pending.get(this);
  return later ? later.owner.fixesOf(this, later) : [];
}

/** Gives `finding` a `fixes` property computed on first read by `later`. */
export function withFixesOnRequest(finding: Omit<Finding, 'fixes'>, later: LaterFixes): Finding {
  Object.defineProperty(finding, 'fixes', { get: fixesGetter, enumerable: true, configurable: true });
  pending.set(finding as Finding, later);
  return finding as Finding;
}

/** The pending fixes of a finding, if its rule reported them as a function. */
export function laterFixesOf(finding: Finding): LaterFixes | undefined {
  return pending.get(finding);
}

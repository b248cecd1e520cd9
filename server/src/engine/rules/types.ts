// How a rule declares itself. One rule per file (server/src/engine/rules/<family>/<id>.ts), listed
// explicitly in rules/index.ts so bundling is deterministic.
import type { SettingsEditor } from '../fixes/settingsEditor';
import type { Setting, SettingsProfile } from '../settings/profile';
import type { Fix, Location, RelatedInformation, Severity } from '../types';

export interface RuleMeta {
  /** Stable code, e.g. "DJ-SEC-001"; also the file name. */
  id: string;
  /** Kebab-case alias, accepted wherever an id is. */
  name: string;
  /** One line: what the rule finds. */
  summary: string;
  /** Markdown: what, why, and an example before/after. Rendered into docs/rules and hovers. */
  docs: string;
  defaultSeverity: Severity;
  /** Every Django system check id this rule can mirror. */
  djangoChecks: string[];
  /** The checklist items (issue 6) this rule decides; filled in as the checklist lands. */
  family: 'settings';
}

export interface SettingsReport {
  /** The setting the finding is about: decides the anchor and the "may be elsewhere" downgrade. */
  setting?: Setting;
  /** Explicit anchor; defaults to where the setting's production value comes from. */
  at?: Location;
  message: string;
  severity?: Severity;
  /** The Django check ids this particular finding mirrors. */
  djangoChecks?: string[];
  fixes?: Fix[];
  related?: RelatedInformation[];
}

export interface SettingsContext {
  profile: SettingsProfile;
  edit: SettingsEditor;
  setting(name: string): Setting;
  report(r: SettingsReport): void;
}

export interface SettingsRule extends RuleMeta {
  family: 'settings';
  check(ctx: SettingsContext): void;
}

export type Rule = SettingsRule;

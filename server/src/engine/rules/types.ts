// How a rule declares itself. One rule per file (server/src/engine/rules/<family>/<id>.ts), listed
// explicitly in rules/index.ts so bundling is deterministic.
import type { SettingsEditor } from '../fixes/settingsEditor';
import type { Setting, SettingsProfile } from '../settings/profile';
import type { DjangoProject, SettingsModule } from '../project/model';
import type { PythonSources } from '../project/sources';
import type { FixesOnRequest } from '../laterFixes';
import type { Location, Range, RelatedInformation, Severity } from '../types';
import type { FileSystem } from '../workspace';
import type { ImportUse } from '../deploy/pyimports';

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
  /**
   * `settings` rules run on the production settings profile; `project` rules run once per Django
   * project with access to every file (views, urls, requirements, Dockerfiles, other settings
   * modules) and report anywhere.
   */
  family: 'settings' | 'project';
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
  /**
   * The fixes, or better a function computing them: it runs only when someone asks for them (a
   * code action, --fix), and the rule then does not depend on what only the fixes read.
   */
  fixes?: FixesOnRequest;
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

export interface ProjectReport {
  file: string;
  range: Range;
  message: string;
  severity?: Severity;
  djangoChecks?: string[];
  /** As in SettingsReport: prefer a function. */
  fixes?: FixesOnRequest;
  related?: RelatedInformation[];
}

export interface ProjectContext {
  project: DjangoProject;
  /** The production settings profile, when the project has a production module. */
  profile?: SettingsProfile;
  /** Fix builder for the production settings module (undefined without a profile). */
  edit?: SettingsEditor;
  /** Every workspace file that belongs to this project (absolute paths). */
  files: string[];
  fs: FileSystem;
  /** Parsed Python files, shared with the evaluator (parse once, reuse everywhere). */
  sources: PythonSources;
  /** The production profile of any settings module (cached per analysis). */
  profileOf(module: SettingsModule): SettingsProfile;
  /**
   * A value computed once per analysis run and shared by every rule (a parsed requirements model,
   * the list of view modules...). `key` names it; `compute` runs on first use. With `persist`, the
   * value is kept across analyses until a file or setting it read changes: only for values that
   * hold no profile or other per-analysis object.
   */
  shared<T>(key: string, compute: () => T, options?: { persist?: boolean }): T;
  /**
   * An object kept for this project across analyses, created on first use; dropped when files are
   * created or deleted or the project model changes. For caches whose entries check their own
   * validity (a parsed module's tables, kept while its file is the same version).
   */
  kept<T>(name: string, create: () => T): T;
  /**
   * Does the file's text match `re`? Prefer this to reading the file when that is all a rule
   * needs: the rule then depends on the answer, not on every character of the file. As a
   * pre-check (skip files that cannot matter), wrap it in `mayMatch`-style `prefilters.enabled`.
   */
  mentions(file: string, re: RegExp): boolean;
  /** The top-level modules a Python file imports (a dependency on the list, not the text). */
  imports(file: string): ImportUse[];
  /**
   * `derive(text)` of a file's text (undefined when unreadable), remembered per text under `name`
   * (one name, one pure function): the rule depends on the result, not on the text.
   */
  derived(file: string, name: string, derive: (text: string) => string): string | undefined;
  report(r: ProjectReport): void;
  /**
   * Identifies where what the rule reads is being recorded at this moment (the rule's own run, or
   * a shared value being computed): a helper that asks the same facts again may skip asking them
   * twice for the same record. Undefined when nothing is recorded (a one-shot analysis).
   */
  recordedIn(): object | undefined;
}

export interface ProjectRule extends RuleMeta {
  family: 'project';
  check(ctx: ProjectContext): void;
}

export type Rule = SettingsRule | ProjectRule;

// Credential rules look at every settings file, whatever its role (spec §c.1.3: secrets leak from
// development modules too): each settings module of the project and each workspace module the
// production settings import. Each file is evaluated as its own entry point, so values resolve the
// same way they do in production, and a rule reports only the assignments the file itself makes.
import { SettingsEditor } from '../fixes/settingsEditor';
import { moduleNameOf, roleFromName, type SettingsModule, type SettingsRole } from '../project/model';
import type { SettingsProfile } from '../settings/profile';
import type { Severity } from '../types';
import type { ProjectContext } from './types';

export interface SettingsFile {
  module: SettingsModule;
  role: SettingsRole;
  /**
   * The file evaluated as its own entry point. Evaluated on first use: a rule that can tell from
   * the file's text that it has nothing to report (no SECRET_KEY in it) never evaluates it, and a
   * keystroke in a module every settings file imports does not evaluate them all again.
   */
  readonly profile: SettingsProfile;
  readonly edit: SettingsEditor;
}

export function settingsFiles(ctx: ProjectContext): SettingsFile[] {
  return ctx.shared('settings-files', () => settingsModules(ctx).map((module) => lazySettingsFile(ctx, module)));
}

/**
 * The modules of `settingsFiles`, kept across analyses: they change with the project model and the
 * files the production settings read, not with a keystroke inside one of them (naming each
 * imported helper looks for package files on disk).
 */
function settingsModules(ctx: ProjectContext): SettingsModule[] {
  return ctx.shared(
    'settings-files.modules',
    () => {
      const modules = new Map<string, SettingsModule>();
      const production = new Set(ctx.profile?.filesRead ?? []);
      for (const m of ctx.project.settingsModules) {
        // A module the production settings import (Mailman's `try: from settings_local import *`) is
        // production configuration, whatever its name says: what it hard-codes is what production runs.
        const reached = production.has(m.path) && m.path !== ctx.profile?.module.path && isDevRole(m.role);
        modules.set(m.path, reached ? { ...m, role: 'production', roleReason: `imported by the production settings (${m.roleReason})` } : m);
      }
      for (const path of ctx.profile?.filesRead ?? []) {
        if (modules.has(path)) continue;
        const { moduleName } = moduleNameOf(ctx.fs, path);
        // Imported helpers take the role of the production settings unless their name says otherwise.
        modules.set(path, { path, moduleName, role: roleFromName(moduleName) ?? 'production', roleReason: 'imported by the production settings' });
      }
      return [...modules.values()];
    },
    { persist: true },
  );
}

function lazySettingsFile(ctx: ProjectContext, module: SettingsModule): SettingsFile {
  // Asked for on every use, not kept: each rule that reads a profile must record the files it is
  // made of as its own dependencies (ctx.profileOf does; the analyzer keeps the evaluation).
  const profileNow = () => (module.path === ctx.profile?.module.path ? ctx.profile : ctx.profileOf(module));
  let editor: { profile: SettingsProfile; edit: SettingsEditor } | undefined;
  return {
    module,
    role: module.role,
    get profile() {
      return profileNow();
    },
    get edit() {
      const profile = profileNow();
      if (editor?.profile !== profile) editor = { profile, edit: new SettingsEditor(profile, ctx.sources) };
      return editor.edit;
    },
  };
}

export function isDevRole(role: SettingsRole): boolean {
  return role === 'dev' || role === 'test';
}

/** Severity of a credential finding: as designed in production-reachable modules, Information in dev/test. */
export function credentialSeverity(role: SettingsRole, production: Severity): Severity {
  // Lowered, never raised: a hint (a placeholder) stays a hint.
  return isDevRole(role) && production !== 'hint' ? 'information' : production;
}

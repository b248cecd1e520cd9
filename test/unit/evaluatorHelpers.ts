// Direct evaluator harness: writes a small project, evaluates one settings module as production
// (no rules run) and gives tests short ways to read a setting's fallback value, its environment
// origin and the source text of the locations a rule would underline.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ParserPool } from '../../server/src/engine/parsing/documents';
import { discoverProjects } from '../../server/src/engine/project/model';
import { ProjectModuleHost, PythonSources } from '../../server/src/engine/project/sources';
import { evaluateProfile, type Setting, type SettingsProfile } from '../../server/src/engine/settings/profile';
import type { PyType, Value } from '../../server/src/engine/settings/value';
import type { Location } from '../../server/src/engine/types';
import { DiskFileSystem, walkFiles } from '../../server/src/engine/workspace';
import { writeProject } from '../helpers/engine';

let pool: Promise<ParserPool> | undefined;

export class Evaluated {
  constructor(
    readonly profile: SettingsProfile,
    readonly dir: string,
  ) {}

  setting(name: string): Setting {
    return this.profile.setting(name);
  }

  value(name: string): Value {
    return this.profile.setting(name).value;
  }

  /** The fallback value as plain JS (see `plain`). */
  py(name: string): unknown {
    return plain(this.value(name));
  }

  /** Source text at a location (the exact characters a diagnostic would underline). */
  text(loc: Location | undefined): string | undefined {
    if (!loc) return undefined;
    const lines = readFileSync(loc.file, 'utf8').split('\n');
    const { start, end } = loc.range;
    if (start.line === end.line) return lines[start.line]!.slice(start.character, end.character);
    return [lines[start.line]!.slice(start.character), ...lines.slice(start.line + 1, end.line), lines[end.line]!.slice(0, end.character)].join('\n');
  }

  /** Text of the default argument that became the value when the variable is unset. */
  fallbackText(name: string): string | undefined {
    return this.text(this.value(name).env?.fallback);
  }

  rhsText(name: string): string | undefined {
    return this.text(this.setting(name).binding?.rhs);
  }

  noteKinds(): string[] {
    return this.profile.notes.map((n) => n.kind);
  }

  path(rel: string): string {
    return join(this.dir, rel);
  }
}

/**
 * Evaluates `entry` of a project made of `files` (relative path → text) as the production
 * settings, for Django 5.2.
 */
export async function evaluateProject(files: Record<string, string>, entry = 'settings.py'): Promise<Evaluated> {
  const dir = writeProject(files);
  const fs = new DiskFileSystem();
  const sources = new PythonSources(fs, await (pool ??= ParserPool.create(['python'])));
  const projects = discoverProjects(fs, dir, walkFiles(fs, dir), { settingsOverride: entry, djangoVersion: { major: 5, minor: 2, source: 'test' } });
  const project = projects.find((p) => p.production);
  assert.ok(project?.production, `no production module for ${entry}`);
  const profile = evaluateProfile(project, project.production, new ProjectModuleHost(sources, project.importRoots));
  sources.dispose();
  return new Evaluated(profile, dir);
}

/** A single settings.py (plus optional sibling files). */
export function evaluateSettings(text: string, extra: Record<string, string> = {}): Promise<Evaluated> {
  return evaluateProject({ 'settings.py': text, ...extra });
}

/**
 * A value as plain JS for deepEqual: None → null, scalars as themselves, paths as `{ path }`,
 * sequences as arrays (a partly known one ends with '…'), dicts as objects, anything else '?'.
 */
export function plain(v: Value): unknown {
  switch (v.kind) {
    case 'none':
      return null;
    case 'bool':
    case 'int':
    case 'float':
    case 'str':
      return v.value;
    case 'path':
      return { path: v.value };
    case 'list':
    case 'tuple':
    case 'set':
      return [...v.items.map(plain), ...(v.partial ? ['…'] : [])];
    case 'dict': {
      const out: Record<string, unknown> = {};
      for (const e of v.entries) out[String(plain(e.key))] = plain(e.value);
      if (v.partial) out['…'] = '…';
      return out;
    }
    default:
      return '?';
  }
}

/** Asserts an environment fallback: its variables and its type once they are set. */
export function assertEnv(v: Value, names: string[], setType: PyType): void {
  assert.ok(v.env, `expected an environment origin, got ${JSON.stringify(plain(v))} without one`);
  assert.deepEqual(v.env.names, names);
  assert.equal(v.env.setType, setType);
}

/** Asserts a required read: unknown, naming the variables the operator must set. */
export function assertRequired(v: Value, names: string[]): void {
  assert.equal(v.kind, 'unknown', `expected a required value, got ${JSON.stringify(plain(v))}`);
  assert.deepEqual(v.kind === 'unknown' ? v.required : undefined, names);
}

// The production profile of a settings module: its final namespace after evaluation, with Django's
// version-specific global defaults behind it (spec §c.2).
import { djangoDefault, type DjangoVersion } from '../project/djangoVersion';
import { type DjangoProject, type SettingsModule, roleFromName } from '../project/model';
import type { Location } from '../types';
import { Evaluation, applyConfiguration, type EvalNote, type ModuleHost } from './evaluator';
import { mentions } from '../textMemo';
import { type Binding, type Scope, type Value, stringItems, unknown } from './value';

export interface Setting {
  name: string;
  value: Value;
  /** Present when the project assigns the setting (possibly in a module it imports). */
  binding?: Binding;
  /** True when the value is Django's global default. */
  isDefault: boolean;
  /** Not assigned, but an optional module or dynamic code might assign it. */
  mayBeDefinedElsewhere?: boolean;
}

/** The environment-reading habits of a settings module. */
export interface EnvStyle {
  /** Name of a django-environ `Env()` instance, if the settings have one. */
  environName?: string;
  /** `config` is python-decouple's. */
  decouple: boolean;
  /** Most variables read carry a DJANGO_ prefix (or none are read). */
  djangoPrefix: boolean;
}

const contributions = new WeakMap<Binding, { reader: boolean; names: number; prefixed: number }>();

export class SettingsProfile {
  readonly notes: EvalNote[];
  readonly filesRead: Set<string>;
  readonly processEnv: Map<string, Value>;

  constructor(
    readonly project: DjangoProject,
    readonly module: SettingsModule,
    readonly scope: Scope,
    evaluation: Evaluation,
  ) {
    this.notes = evaluation.notes;
    this.filesRead = evaluation.filesRead;
    this.processEnv = evaluation.processEnv;
  }

  get version(): DjangoVersion {
    return this.project.djangoVersion;
  }

  /**
   * A setting's value in production. When the project does not assign it, Django's default — or
   * unknown if an optional module or dynamic code could have defined it.
   */
  setting(name: string): Setting {
    const binding = this.scope.get(name);
    if (binding) return { name, value: binding.value, binding, isDefault: false };
    const def = djangoDefault(name, this.version);
    return { name, value: def ?? unknown('not a Django setting in this version'), isDefault: true, mayBeDefinedElsewhere: this.mayDefineMore || undefined };
  }

  private style: EnvStyle | undefined;

  /** How the settings read the environment, which fixes imitate (computed once per profile). */
  get envStyle(): EnvStyle {
    if (!this.style) {
      let environName: string | undefined;
      let names = 0;
      let prefixed = 0;
      // forEach: no [name, binding] pair per entry (3,000 of them in a large settings module,
      // counted again for every profile a keystroke evaluates).
      this.scope.forEach((b, name) => {
        // Bindings are shared between profiles and analyses (imports, replayed statements):
        // each one's contribution is worked out once.
        let c = contributions.get(b);
        if (c === undefined) {
          const env = b.value.env;
          c = { reader: b.value.kind === 'envreader', names: env?.names.length ?? 0, prefixed: env?.names.filter((n) => n.startsWith('DJANGO_')).length ?? 0 };
          contributions.set(b, c);
        }
        if (environName === undefined && c.reader) environName = name;
        names += c.names;
        prefixed += c.prefixed;
      });
      const config = this.scope.get('config')?.value;
      this.style = { environName, decouple: config?.kind === 'builtin' && config.name === 'decouple.config', djangoPrefix: names === 0 || prefixed * 2 >= names };
    }
    return this.style;
  }

  /** The names the settings assign (rules that look for a family of names: `RATELIMIT_*`, `CORS_*`). */
  settingNames(): string[] {
    return [...this.scope.keys()];
  }

  /** What the settings put in `os.environ` under `name` (setdefault, assignment), if anything. */
  environmentValue(name: string): Value | undefined {
    return this.processEnv.get(name);
  }

  /** An optional `local.py` or dynamic code could define settings we cannot see. */
  get mayDefineMore(): boolean {
    return this.notes.some((n) => n.kind === 'optional-import-missing' || n.kind === 'dynamic');
  }

  /** SILENCED_SYSTEM_CHECKS entries, when they are known. */
  get silencedChecks(): Set<string> {
    return new Set(stringItems(this.setting('SILENCED_SYSTEM_CHECKS').value) ?? []);
  }

  /** Where a finding about a setting the project never assigns is shown: after the imports. */
  get missingAnchor(): Location {
    return this.anchorAfterImports ?? { file: this.module.path, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
  }

  anchorAfterImports?: Location;
}

export function evaluateProfile(project: DjangoProject, module: SettingsModule, host: ModuleHost): SettingsProfile {
  const evaluation = new Evaluation(host);
  const scope = evaluation.evaluateModule(module.path) ?? new Map();
  const mod = host.load(module.path);
  const anchor = mod ? firstLineAfterImports(module.path, mod.root) : undefined;
  // Only code that imports django-configurations can define a Configuration class: skip the walk
  // over every binding otherwise.
  const usesConfigurations = [...evaluation.filesRead].some((f) => {
    const text = host.load(f)?.root.tree.text;
    return text !== undefined && mentions(f, text, /\bconfigurations\b/);
  });
  if (usesConfigurations) applyConfiguration(evaluation, scope, productionClassRank, anchor ?? { file: module.path, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
  const profile = new SettingsProfile(project, module, scope, evaluation);
  profile.anchorAfterImports = anchor;
  return profile;
}

/** django-configurations class names that mean production (`Prod` before `Staging`); else undefined. */
function productionClassRank(className: string): number | undefined {
  const snake = className.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  if (roleFromName(snake) !== 'production') return undefined;
  return /(^|_)prod(uction)?(_|$)/.test(snake) ? 0 : 1;
}

function firstLineAfterImports(file: string, root: import('../parsing/syntax').SyntaxNode): Location {
  let line = 0;
  let text = '';
  for (const stmt of root.namedChildren) {
    if (!stmt) continue;
    const isImport = stmt.type === 'import_statement' || stmt.type === 'import_from_statement' || stmt.type === 'future_import_statement' || stmt.type === 'comment';
    const isDocstring = stmt.type === 'expression_statement' && stmt.namedChildren[0]?.type === 'string';
    if (isImport || isDocstring) continue;
    line = stmt.startPosition.row;
    text = stmt.text.split('\n')[0] ?? '';
    return { file, range: { start: { line, character: stmt.startPosition.column }, end: { line, character: stmt.startPosition.column + text.length } } };
  }
  const last = root.lastNamedChild;
  if (last) line = last.startPosition.row;
  return { file, range: { start: { line, character: 0 }, end: { line, character: (last?.text.split('\n')[0] ?? '').length } } };
}

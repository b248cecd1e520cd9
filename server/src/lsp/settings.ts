// The `djangoReadiness.*` editor settings of one workspace folder: their defaults, validation of
// what the client sends, and the AnalyzerOptions they map to. Keys and defaults must match
// package.json `contributes.configuration` (a unit test checks).
import type { AnalyzerOptions } from '../engine/analyzer';
import { parseVersionArg } from '../engine/project/djangoVersion';
import { findRule } from '../engine/rules/index';
import type { Severity } from '../engine/types';

export type SeveritySetting = Severity | 'off';

export interface FolderSettings {
  enable: boolean;
  /** Rule id → severity override (rule names are accepted and mapped to ids). */
  severity: Record<string, SeveritySetting>;
  exclude: string[];
  /** Settings module or file to evaluate as production (empty: detect). */
  settingsModule: string;
  /** "X.Y" (empty: read requirements). */
  djangoVersion: string;
  run: 'onType' | 'onSave';
  debounceMs: number;
  /** `checklist.author`: the name written next to a manual item ticked without one (empty: none). */
  checklistAuthor: string;
}

export const DEFAULT_SETTINGS: Readonly<FolderSettings> = Object.freeze({
  enable: true,
  severity: {},
  exclude: [],
  settingsModule: '',
  djangoVersion: '',
  run: 'onType',
  debounceMs: 200,
  checklistAuthor: '',
});

/** Setting keys (under `djangoReadiness.`) and their defaults, as package.json declares them. */
export const SETTING_DEFAULTS: Record<string, unknown> = {
  enable: DEFAULT_SETTINGS.enable,
  run: DEFAULT_SETTINGS.run,
  debounceMs: DEFAULT_SETTINGS.debounceMs,
  exclude: DEFAULT_SETTINGS.exclude,
  settingsModule: DEFAULT_SETTINGS.settingsModule,
  djangoVersion: DEFAULT_SETTINGS.djangoVersion,
  'rules.severity': DEFAULT_SETTINGS.severity,
  'checklist.author': DEFAULT_SETTINGS.checklistAuthor,
};

const SEVERITIES = new Set<string>(['error', 'warning', 'information', 'hint', 'off']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads the section object the client returned (`workspace/configuration` or the legacy
 * `didChangeConfiguration` payload). Missing or malformed values fall back to the defaults; every
 * problem is reported through `warn` so the user can find it in the output channel.
 */
export function parseSettings(raw: unknown, warn: (message: string) => void = () => {}): FolderSettings {
  const s: FolderSettings = { ...DEFAULT_SETTINGS, severity: {}, exclude: [] };
  if (!isObject(raw)) return s;
  const bad = (key: string, v: unknown) => warn(`djangoReadiness.${key}: ignoring invalid value ${JSON.stringify(v)}`);

  if (raw.enable !== undefined) {
    if (typeof raw.enable === 'boolean') s.enable = raw.enable;
    else bad('enable', raw.enable);
  }
  if (raw.run !== undefined) {
    if (raw.run === 'onType' || raw.run === 'onSave') s.run = raw.run;
    else bad('run', raw.run);
  }
  if (raw.debounceMs !== undefined) {
    if (typeof raw.debounceMs === 'number' && Number.isFinite(raw.debounceMs) && raw.debounceMs >= 0) s.debounceMs = raw.debounceMs;
    else bad('debounceMs', raw.debounceMs);
  }
  if (raw.exclude !== undefined) {
    if (Array.isArray(raw.exclude)) {
      for (const g of raw.exclude) {
        if (typeof g === 'string' && g.trim()) s.exclude.push(g.trim());
        else bad('exclude', g);
      }
    } else bad('exclude', raw.exclude);
  }
  if (raw.settingsModule !== undefined && raw.settingsModule !== null) {
    if (typeof raw.settingsModule === 'string') s.settingsModule = raw.settingsModule.trim();
    else bad('settingsModule', raw.settingsModule);
  }
  if (raw.djangoVersion !== undefined && raw.djangoVersion !== null) {
    if (typeof raw.djangoVersion === 'string' && (raw.djangoVersion.trim() === '' || parseVersionArg(raw.djangoVersion, 'setting'))) s.djangoVersion = raw.djangoVersion.trim();
    else bad('djangoVersion', raw.djangoVersion);
  }
  // `rules.severity` arrives nested ({ rules: { severity } }); accept the flat dotted key too.
  const severity = isObject(raw.rules) ? raw.rules.severity : raw['rules.severity'];
  if (severity !== undefined) {
    if (isObject(severity)) {
      for (const [id, v] of Object.entries(severity)) {
        if (typeof v === 'string' && SEVERITIES.has(v)) s.severity[findRule(id.trim())?.id ?? id.trim().toUpperCase()] = v as SeveritySetting;
        else bad(`rules.severity.${id}`, v);
      }
    } else bad('rules.severity', severity);
  }
  // `checklist.author` arrives nested ({ checklist: { author } }); accept the flat dotted key too.
  const author = isObject(raw.checklist) ? raw.checklist.author : raw['checklist.author'];
  if (author !== undefined && author !== null) {
    if (typeof author === 'string') s.checklistAuthor = author.trim();
    else bad('checklist.author', author);
  }
  return s;
}

export function toAnalyzerOptions(s: FolderSettings): AnalyzerOptions {
  const options: AnalyzerOptions = { exclude: s.exclude, severity: s.severity };
  if (s.settingsModule) options.settingsOverride = s.settingsModule;
  const version = s.djangoVersion ? parseVersionArg(s.djangoVersion, 'djangoReadiness.djangoVersion setting') : undefined;
  if (version) options.djangoVersion = version;
  return options;
}

/** Whether two settings produce the same analysis (enable/run/debounce do not affect findings). */
export function sameAnalysis(a: FolderSettings, b: FolderSettings): boolean {
  return JSON.stringify(toAnalyzerOptions(a)) === JSON.stringify(toAnalyzerOptions(b));
}

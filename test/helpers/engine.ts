// Shared test helpers: run the engine on a fixture folder or on in-memory files.
import { mkdtempSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Analyzer, type AnalyzerOptions } from '../../server/src/engine/analyzer';
import type { Finding } from '../../server/src/engine/types';

export const REPO_ROOT = process.env.DJANGO_READINESS_ROOT ?? join(__dirname, '..', '..');
export const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');

/** Every Python file of the fixtures (the parsing tests run over all of them). */
export function pythonFixtures(): string[] {
  const files: string[] = [];
  const visit = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) visit(p);
      else if (name.endsWith('.py')) files.push(p);
    }
  };
  visit(FIXTURES);
  return files;
}

/** Writes files (relative path → text) into a fresh temporary folder and returns its path. */
export function writeProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'djr-'));
  for (const [rel, text] of Object.entries(files)) {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
  return dir;
}

export async function analyzeDir(dir: string, options: AnalyzerOptions = {}): Promise<{ analyzer: Analyzer; findings: Finding[] }> {
  const analyzer = await Analyzer.create(dir, options);
  return { analyzer, findings: analyzer.analyze().findings };
}

/** Analyse a single settings module given as text, as the production settings of a tiny project. */
export async function analyzeSettings(text: string, options: AnalyzerOptions = {}, extra: Record<string, string> = {}): Promise<{ analyzer: Analyzer; findings: Finding[]; dir: string }> {
  const dir = writeProject({ 'settings.py': text, ...extra });
  const { analyzer, findings } = await analyzeDir(dir, { settingsOverride: 'settings.py', djangoVersion: { major: 5, minor: 2, source: 'test' }, ...options });
  return { analyzer, findings, dir };
}

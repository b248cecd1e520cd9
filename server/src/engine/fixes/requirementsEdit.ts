// Adding a package to the production requirements file as part of a quick fix (one WorkspaceEdit with
// the code change). The file is chosen the way a deployment installs: requirements/production.txt,
// requirements/prod.txt, requirements.txt, requirements/base.txt; a package already declared in any
// requirements file of the project (or pyproject/Pipfile) is never added twice.
import { basename, dirname, join } from 'node:path';
import pins from '../data/packages.json';
import type { DjangoProject } from '../project/model';
import { normalizeDistName } from '../project/model';
import type { TextEdit } from '../types';
import type { FileSystem } from '../workspace';

export function pinnedVersion(name: string): string | undefined {
  return (pins.pins as Record<string, string>)[name];
}

const PREFERENCE = [/^requirements\/(production|prod)\.(txt|in)$/, /^requirements[-_.](production|prod)\.(txt|in)$/, /^requirements\.txt$/, /^requirements\/base\.(txt|in)$/, /^requirements\/common\.(txt|in)$/];

/** The requirements file production installs from, relative preference as above. */
export function productionRequirementsFile(project: DjangoProject): string | undefined {
  const rel = (f: string) => (basename(dirname(f)) === 'requirements' ? `requirements/${basename(f)}` : basename(f));
  for (const pattern of PREFERENCE) {
    const hit = project.requirementsFiles.filter((f) => pattern.test(rel(f))).sort((a, b) => a.length - b.length)[0];
    if (hit) return hit;
  }
  return undefined;
}

/**
 * The edit adding `name==version` to the production requirements, or [] when the project already
 * declares the package. Creates requirements.txt at the project root when there is none.
 */
export function addRequirementEdits(fs: FileSystem, project: DjangoProject, name: string, version = pinnedVersion(name)): TextEdit[] {
  if (project.requirementNames.has(normalizeDistName(name))) return [];
  const line = version ? `${name}==${version}` : name;
  const file = productionRequirementsFile(project);
  if (!file) {
    const path = join(project.root, 'requirements.txt');
    return [{ file: path, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: `${line}\n` }];
  }
  const text = fs.readFile(file) ?? '';
  const lines = text.split('\n');
  const end = { line: lines.length - 1, character: lines[lines.length - 1]!.length };
  const prefix = text.length === 0 || text.endsWith('\n') ? '' : '\n';
  return [{ file, range: { start: end, end }, newText: `${prefix}${line}\n` }];
}

// docker compose files: services with their image or build, environment (map or `K=V` list),
// env_file, ports, command/entrypoint, healthcheck and restart policy, and how production-like the
// file is (spec §0): `docker-compose.override.yml` and `*dev*`/`*local*`/`*test*` files are dev and
// stay quiet; `*prod*` files are production; a plain `docker-compose.yml` is ambiguous and gets
// severities one step lower when another compose file exists.
import { basename, dirname, join } from 'node:path';
import type { Range, Severity } from '../types';
import { entry, get, scalarText, YamlDocument, type YamlNode } from './yaml';

export type ComposeRole = 'production' | 'ambiguous' | 'dev';

export interface EnvVar {
  key: string;
  value?: string;
  /** The value (map form) or the whole `K=V` item (list form). */
  range: Range;
  /** For list form: where the value starts inside the item. */
  valueRange?: Range;
  form: 'map' | 'list';
}

export interface ComposeService {
  name: string;
  nameRange: Range;
  node: YamlNode;
  image?: string;
  imageRange?: Range;
  build?: { context: string; dockerfile?: string };
  environment: EnvVar[];
  envFiles: { path: string; range: Range }[];
  ports: YamlNode[];
  portsRange?: Range;
  command?: YamlNode;
  entrypoint?: YamlNode;
  hasHealthcheck: boolean;
  restart?: string;
  hasRestartPolicy: boolean;
  dependsOn: string[];
  /** The last line of the service block (for inserting keys). */
  lastLine: number;
  /** Indentation of the service's keys. */
  keyIndent: number;
}

export interface ComposeFile {
  path: string;
  text: string;
  role: ComposeRole;
  /** Severities drop a step (ambiguous file next to other compose files). */
  lowered: boolean;
  services: ComposeService[];
  doc: YamlDocument;
}

export function isComposeName(name: string): boolean {
  return /^(docker-)?compose([.-][\w.-]*)?\.ya?ml$/i.test(name);
}

export function composeRole(name: string): ComposeRole {
  if (/override|(^|[._-])(dev|devel|develop|development|local|test|testing|ci)([._-]|$)/i.test(name)) return 'dev';
  if (/prod|production|live|deploy|release|staging/i.test(name)) return 'production';
  return 'ambiguous';
}

export function lower(s: Severity): Severity {
  return s === 'error' ? 'warning' : s === 'warning' ? 'information' : 'hint';
}

function envVars(node: YamlNode | undefined): EnvVar[] {
  const out: EnvVar[] = [];
  if (node?.kind === 'map') {
    for (const e of node.entries) {
      const v = e.value;
      out.push({ key: e.key, value: v.kind === 'scalar' ? v.value : undefined, range: v.kind === 'scalar' ? v.range : e.keyRange, form: 'map' });
    }
  } else if (node?.kind === 'seq') {
    for (const item of node.items) {
      if (item.kind !== 'scalar') continue;
      const eq = item.value.indexOf('=');
      const key = eq < 0 ? item.value : item.value.slice(0, eq);
      const quoteShift = item.quoted ? 1 : 0;
      const valueStart = item.range.start.character + quoteShift + eq + 1;
      out.push({
        key,
        value: eq < 0 ? undefined : item.value.slice(eq + 1),
        range: item.range,
        valueRange: eq < 0 ? undefined : { start: { line: item.range.start.line, character: valueStart }, end: { line: item.range.start.line, character: item.range.end.character - quoteShift } },
        form: 'list',
      });
    }
  }
  return out;
}

export function parseCompose(path: string, text: string, siblings: number): ComposeFile {
  const doc = new YamlDocument(text);
  const role = composeRole(basename(path));
  const services: ComposeService[] = [];
  const svcEntry = entry(doc.root, 'services');
  if (svcEntry?.value.kind === 'map') {
    for (const e of svcEntry.value.entries) {
      const s = e.value;
      const build = get(s, 'build');
      const envFile = get(s, 'env_file');
      const envFiles = (envFile?.kind === 'seq' ? envFile.items : envFile ? [envFile] : []).flatMap((n) => {
        const p = scalarText(n) ?? scalarText(get(n, 'path'));
        return p ? [{ path: join(dirname(path), p), range: n.range }] : [];
      });
      const depends = get(s, 'depends_on');
      const dependsOn = depends?.kind === 'seq' ? depends.items.map(scalarText).filter((x): x is string => !!x) : depends?.kind === 'map' ? depends.entries.map((x) => x.key) : [];
      const ports = get(s, 'ports');
      const image = entry(s, 'image');
      const keyIndent = s.kind === 'map' && s.entries[0] ? s.entries[0].keyRange.start.character : e.keyRange.start.character + 2;
      services.push({
        name: e.key,
        nameRange: e.keyRange,
        node: s,
        image: scalarText(image?.value),
        imageRange: image?.value.range,
        build: build ? (build.kind === 'scalar' ? { context: join(dirname(path), build.value) } : { context: join(dirname(path), scalarText(get(build, 'context')) ?? '.'), dockerfile: scalarText(get(build, 'dockerfile')) }) : undefined,
        environment: envVars(get(s, 'environment')),
        envFiles,
        ports: ports?.kind === 'seq' ? ports.items : [],
        portsRange: ports?.range,
        command: get(s, 'command'),
        entrypoint: get(s, 'entrypoint'),
        hasHealthcheck: !!get(s, 'healthcheck') || (s.kind === 'map' && !!s.merged),
        restart: scalarText(get(s, 'restart')),
        hasRestartPolicy: !!get(get(get(s, 'deploy'), 'restart_policy'), 'condition') || !!get(get(s, 'deploy'), 'restart_policy'),
        dependsOn,
        lastLine: s.kind === 'map' && s.entries.length ? Math.max(...s.entries.map((x) => Math.max(x.line, x.value.range.end.line))) : e.line,
        keyIndent,
      });
    }
  }
  return { path, text, role, lowered: role === 'ambiguous' && siblings > 0, services, doc };
}

/** A compose command as words (string form split on spaces, list form as is). */
export function commandWords(node: YamlNode | undefined): string[] | undefined {
  if (!node) return undefined;
  if (node.kind === 'scalar') return node.value.split(/\s+/).filter(Boolean);
  if (node.kind === 'seq') return node.items.map((i) => (i.kind === 'scalar' ? i.value : ''));
  return undefined;
}

/** Base name of an image (`postgres:16-alpine` → postgres, `bitnami/redis` → redis). */
export function imageBase(image: string | undefined): string | undefined {
  if (!image) return undefined;
  const noTag = image.replace(/@.*$/, '').replace(/:[^/]*$/, '');
  return noTag.split('/').pop()!.toLowerCase();
}

export const DATASTORES = new Set(['postgres', 'postgis', 'mysql', 'mariadb', 'redis', 'valkey', 'memcached', 'mongo', 'mongodb', 'rabbitmq', 'elasticsearch', 'opensearch', 'keydb']);

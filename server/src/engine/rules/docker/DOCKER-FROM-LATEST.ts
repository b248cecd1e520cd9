import { basename } from 'node:path';
import { models, reportDocker } from '../../deploy/context';
import type { ProjectRule } from '../types';

export const rule: ProjectRule = {
  id: 'DOCKER-FROM-LATEST',
  name: 'docker-from-latest',
  family: 'project',
  summary: 'A FROM uses the :latest tag',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `\`:latest\` moves: a rebuild silently changes the Python minor version or the OS release, which
breaks compiled wheels and changes behaviour. ARG defaults are substituted first (\`FROM $BASE\` with
\`ARG BASE=python:latest\` is reported; without a default it is not). Mirrors hadolint DL3007
(\`# hadolint ignore=DL3007\` is honoured).

Before:
\`\`\`dockerfile
FROM python:latest
\`\`\`
After:
\`\`\`dockerfile
FROM python:3.12-slim-bookworm
\`\`\``,
  check(ctx) {
    for (const d of models(ctx).dockerfiles) {
      for (const s of d.stages) {
        if (!s.image || s.parent || /@sha256:/.test(s.image)) continue;
        if (!/:latest$/.test(s.image)) continue;
        const tagRange = s.from.getImageTagRange();
        const python = /(^|\/)python:latest$/.test(s.image) && !(s.from.getImage() ?? '').includes('$');
        reportDocker(ctx, d, 'DL3007', {
          file: d.path,
          range: s.from.getRange(),
          message: `${basename(d.path)} builds FROM ${s.image}: the base image changes under you on every rebuild`,
          fixes: () => python && tagRange ? [{ title: 'Use python:3.12-slim-bookworm', edits: [{ file: d.path, range: tagRange, newText: '3.12-slim-bookworm' }], safe: false }] : [],
        });
      }
    }
  },
};

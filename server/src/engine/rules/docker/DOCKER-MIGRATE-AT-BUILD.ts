import { prodDockerfiles } from '../../deploy/context';
import { manageCommand } from '../../deploy/shell';
import type { ProjectRule } from '../types';

export const rule: ProjectRule = {
  id: 'DOCKER-MIGRATE-AT-BUILD',
  name: 'docker-migrate-at-build',
  family: 'project',
  summary: 'A RUN applies database migrations while the image is built',
  defaultSeverity: 'warning',
  djangoChecks: [],
  docs: `At build time the production database is usually unreachable (the build fails), and when it is
reachable the image build mutates whichever database the builder happens to see. Migrations belong
in a release step: a one-off \`migrate\` service or job, or the container entrypoint of exactly one
replica. \`migrate --check\` / \`--plan\` and \`showmigrations\` are fine.

Before:
\`\`\`dockerfile
RUN python manage.py migrate
\`\`\`
After:
\`\`\`yaml
# docker-compose.yml
migrate:
  build: .
  command: ["python", "manage.py", "migrate", "--noinput"]
  restart: "no"
\`\`\``,
  check(ctx) {
    for (const d of prodDockerfiles(ctx)) {
      for (const stage of d.stages) {
        for (const instr of stage.instructions) {
          if (instr.getKeyword() !== 'RUN') continue;
          const cmds = d.runCommands(instr);
          const migrate = cmds.find((c) => {
            const m = manageCommand(c.argv);
            return m?.command === 'migrate' && !m.args.some((a) => a === '--check' || a === '--plan');
          });
          if (!migrate) continue;
          ctx.report({
            file: d.path,
            range: instr.getRange(),
            message: 'Migrations run while the image is built: the database is usually unreachable then, or is not the one production uses; run them in a release step',
            fixes: () => cmds.length === 1 ? [{ title: 'Delete this RUN (migrate at release instead)', edits: [{ file: d.path, range: d.wholeLines(instr.getRange()), newText: '' }], safe: false }] : [],
          });
        }
      }
    }
  },
};

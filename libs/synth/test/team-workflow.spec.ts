import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, scratchRoot } from './scratch';

/**
 * The "done when", tried as a new user would: on a copy of the example repository, a pull
 * request adds an L4 service exposed through the firewall; `npm run diff -- --base main --markdown`
 * flags the new public exposure first, and CODEOWNERS asks the app's owners.
 */
describe('a pull request that adds a public L4 service', () => {
  it('gets a diff comment whose first risk flag is the new firewall exposure, and CODEOWNERS names its owners', () => {
    const { root, cleanup } = scratchRoot('done-when');
    try {
      const cli = (...args: string[]) =>
        spawnSync(
          process.execPath,
          ['--require', path.join(REPO, 'libs/synth/register.cjs'), path.join(REPO, 'libs/cli/src/main.ts'), ...args],
          { cwd: root, encoding: 'utf8', env: { ...process.env, AKS_GITOPS_ROOT: root } },
        );
      const git = (...args: string[]) =>
        execFileSync('git', args, {
          cwd: root,
          encoding: 'utf8',
          env: {
            ...process.env,
            GIT_AUTHOR_NAME: 't',
            GIT_AUTHOR_EMAIL: 't@example.com',
            GIT_COMMITTER_NAME: 't',
            GIT_COMMITTER_EMAIL: 't@example.com',
          },
        }).trim();
      fs.cpSync(path.join(REPO, 'apps'), path.join(root, 'apps'), { recursive: true });
      fs.writeFileSync(path.join(root, '.gitignore'), 'node_modules\n.synth-cache/\n');
      expect(cli('synth').status).toBe(0);
      git('init', '-q', '-b', 'main');
      git('add', '-A');
      git('commit', '-q', '-m', 'main');
      git('checkout', '-q', '-b', 'add-game');

      fs.mkdirSync(path.join(root, 'apps/game-server/src'), { recursive: true });
      fs.writeFileSync(
        path.join(root, 'apps/game-server/src/index.ts'),
        `import { L4Service, defineApp } from '@aks-gitops/workloads';
export default defineApp({
  name: 'game-server',
  owners: ['@contoso/games-team'],
  deploy: ({ scope }) => {
    new L4Service(scope, 'game', {
      image: 'ghcr.io/contoso/game-server:5.2.0@sha256:${'f'.repeat(64)}',
      ports: [{ name: 'game', port: 7777, protocol: 'UDP' }],
      exposure: { mode: 'public-via-firewall', sourceAddresses: ['*'] },
      address: { offset: 31 },
      health: { readiness: { http: { path: '/ready', port: 8080 } } },
    });
  },
});
`,
      );
      const synth = cli('synth');
      expect(synth.stderr).toBe('');
      git('add', '-A');
      git('commit', '-q', '-m', 'add game-server');

      const diff = cli('diff', '--base', 'main', '--markdown');
      expect(diff.status).toBe(0);
      const flags = diff.stdout.split('\n').filter((l) => l.startsWith('- **'));
      expect(flags[0]).toMatch(
        /^- \*\*new public exposure\*\* · `aks-[a-z-]+\/azure`: new Azure Firewall DNAT rule game-server-\S+: UDP [\d.]+:\d+ from \* -&gt; [\d.]+:7777$/,
      );
      expect(diff.stdout).toMatch(/<summary>aks-[a-z-]+ \/ game-server: \d+ added, 0 removed, 0 changed<\/summary>/);

      const owners = fs.readFileSync(path.join(root, '.github/CODEOWNERS'), 'utf8');
      expect(owners).toMatch(/^\/apps\/game-server\/\s+@contoso\/games-team$/m);
      expect(owners).toMatch(/^\/clusters\/\*\/game-server\/\s+@contoso\/games-team$/m);
      expect(git('diff', '--name-only', 'main', 'HEAD').split('\n')).toEqual(
        expect.arrayContaining(['.github/CODEOWNERS', 'apps/game-server/src/index.ts']),
      );
    } finally {
      cleanup();
    }
  });
});

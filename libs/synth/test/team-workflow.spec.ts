import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { CLUSTERS, PLATFORM_OWNERS } from '@aks-gitops/cluster-model';
import type { KubeObject } from '@aks-gitops/cluster-model';
import { validateObjects } from '@aks-gitops/validation';
import { gitIn } from './git';
import { EXAMPLE_APPS_DIR, REPO, scratchRoot } from './scratch';
import { parseWorkflowFile } from './pipelines/workflow-parser';

/**
 * Issue 16's "done when", tried as a new user would, on a scratch repository laid out like this one
 * (the example apps of the README, this repository's package.json scripts, workflows and
 * renovate.json; the libraries linked in): a pull request adds an L4 service exposed through the
 * firewall; the PR workflow's commands, read with GitHub's own parser and run as its steps run
 * them, pass and produce a diff comment whose first risk flag is the new public exposure;
 * CODEOWNERS asks the app's owners (and the platform team for the firewall and Flux files); a
 * Renovate digest update of the new app is a one-file change whose diff is one image line per
 * cluster; and Flux has an error Alert for every Kustomization of every cluster, schema-valid.
 * Nothing here depends on which apps apps/ holds.
 */
const GAME_OWNERS = ['@contoso/games-team'];
const DIGEST = `sha256:${'f'.repeat(64)}`;
const NEW_DIGEST = `sha256:${'e'.repeat(64)}`;
const GAME_SOURCE = `import { L4Service, defineApp } from '@aks-gitops/workloads';

export default defineApp({
  name: 'game-server',
  owners: ${JSON.stringify(GAME_OWNERS)},
  deploy: ({ scope }) => {
    new L4Service(scope, 'game', {
      name: 'game',
      image: 'ghcr.io/contoso/game-server:5.2.0@${DIGEST}',
      ports: [{ name: 'game', port: 7777, protocol: 'UDP' }],
      exposure: { mode: 'public-via-firewall', sourceAddresses: ['*'] },
      address: { offset: 31 },
      health: { readiness: { http: { path: '/ready', port: 8080 } } },
    });
  },
});
`;

/** The owners GitHub asks for `file`: the last matching CODEOWNERS line wins. */
function ownersOf(codeowners: string, file: string): string[] {
  let owners: string[] = [];
  for (const raw of codeowners.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [pattern, ...who] = line.split(/\s+/);
    const re = new RegExp(
      '^' +
        (pattern === '*'
          ? '/.*'
          : pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]+') +
            (pattern.endsWith('/') ? '.*' : '')) +
        '$',
    );
    if (re.test(`/${file}`)) owners = who;
  }
  return owners;
}

type Step = { name?: string; run?: string; env?: Record<string, string>; uses?: string; with?: Record<string, string> };

describe('done when: a pull request that adds a public L4 service, then a Renovate update of it', () => {
  const { root, cleanup } = scratchRoot('done-when');
  afterAll(() => cleanup());
  const git = gitIn(root);
  /** A workflow step's shell script, as the runner runs it: bash -e, in the checkout, with the step's env. */
  const runStep = (script: string, env: Record<string, string> = {}) => {
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, AKS_GITOPS_ROOT: root, ...env },
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const read = (f: string) => fs.readFileSync(path.join(root, f), 'utf8');
  const workflowFile = path.join(root, '.github/workflows/pull-request.yml');
  const workflow = parse(fs.readFileSync(path.join(REPO, '.github/workflows/pull-request.yml'), 'utf8')) as {
    jobs: Record<string, { steps: Step[] }>;
  };
  const temp = path.join(root, '.runner-temp');
  /** The diff job's "npm run diff" step with GitHub's context filled in; returns the comment it posts. */
  const diffComment = (baseSha: string): string => {
    const step = workflow.jobs.diff.steps.find((s) => s.name === 'npm run diff')!;
    const post = workflow.jobs.diff.steps.find((s) => s.uses?.startsWith('marocchino/sticky-pull-request-comment@'))!;
    expect(step.env).toEqual({
      PR_BASE: '${{ github.event.pull_request.base.sha }}',
      GROUP_BASE: '${{ github.event.merge_group.base_sha }}',
    });
    expect(post.with?.path).toBe('${{ runner.temp }}/diff.md');
    fs.mkdirSync(temp, { recursive: true });
    const r = runStep(step.run!, {
      PR_BASE: baseSha, // github.event.pull_request.base.sha
      GROUP_BASE: '', // no merge group on a pull_request event
      RUNNER_TEMP: temp,
      GITHUB_STEP_SUMMARY: path.join(temp, 'summary.md'),
    });
    expect([r.code, r.stderr]).toEqual([0, '']);
    return fs.readFileSync(path.join(temp, 'diff.md'), 'utf8');
  };

  beforeAll(() => {
    // The repository a user has: the README's example apps, the scripts, workflows and Renovate
    // config of this one, the libraries (linked: npm run uses ./libs/synth/...).
    fs.cpSync(EXAMPLE_APPS_DIR, path.join(root, 'apps'), { recursive: true });
    fs.symlinkSync(path.join(REPO, 'libs'), path.join(root, 'libs'), 'dir');
    const { scripts } = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'scratch', private: true, scripts }));
    fs.mkdirSync(path.join(root, '.github/workflows'), { recursive: true });
    for (const f of fs.readdirSync(path.join(REPO, '.github/workflows')))
      fs.copyFileSync(path.join(REPO, '.github/workflows', f), path.join(root, '.github/workflows', f));
    fs.copyFileSync(path.join(REPO, 'renovate.json'), path.join(root, 'renovate.json'));
    fs.writeFileSync(path.join(root, '.gitignore'), 'node_modules\nlibs\n.synth-cache/\n.runner-temp/\n');
    expect(runStep('npm run --silent synth').code).toBe(0);
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'main');
  }, 120_000);

  describe('the pull request adding game-server (public UDP through the firewall)', () => {
    let base = '';
    beforeAll(() => {
      base = git('rev-parse', 'main');
      git('checkout', '-q', '-b', 'add-game');
      fs.mkdirSync(path.join(root, 'apps/game-server/src'), { recursive: true });
      fs.writeFileSync(path.join(root, 'apps/game-server/src/index.ts'), GAME_SOURCE);
      const synth = runStep('npm run --silent synth');
      expect([synth.code, synth.stderr]).toEqual([0, '']);
      git('add', '-A');
      git('commit', '-q', '-m', 'add game-server');
    }, 120_000);

    it("the validate job's always-run checks pass, run as GitHub runs them (drift, then the policy gate as annotations)", async () => {
      const parsed = await parseWorkflowFile(workflowFile);
      expect(parsed.errors).toEqual([]);
      const scripts = parsed.jobs.find((j) => j.id === 'validate')!.steps.flatMap((s) => (s.run ? [s.run] : []));
      // `nx affected` needs the Nx workspace (tools/fleet tests it); the checks over clusters/,
      // flux/ and CODEOWNERS, which belong to no Nx project, run here exactly as written.
      const checks = scripts.filter((s) => s.startsWith('npm run '));
      expect(checks).toEqual(['npm run drift', 'npm run policy -- --format github']);
      for (const script of checks) {
        const r = runStep(script);
        expect([script, r.code]).toEqual([script, 0]);
        expect(r.stdout).not.toMatch(/^::error/m);
      }
    }, 120_000);

    it('npm run diff -- --base main --markdown: the first risk flag is the new public exposure', () => {
      const comment = diffComment(base);
      const flags = comment.split('\n').filter((l) => l.startsWith('- **'));
      expect(flags[0]).toMatch(
        /^- \*\*new public exposure\*\* · `aks-[a-z-]+\/azure`: new Azure Firewall DNAT rule game-server-\S+: UDP [\d.]+:\d+ from \* -&gt; [\d.]+:7777$/,
      );
      for (const c of CLUSTERS)
        expect(comment).toMatch(
          new RegExp(`<summary>${c.name} / game-server: \\d+ added, 0 removed, 0 changed</summary>`),
        );
      // What a user types gives the same comment (but for the base's name in its title).
      const typed = runStep('npm run --silent diff -- --base main --markdown');
      const body = (md: string) => md.split('\n').filter((l) => !l.startsWith('### aks-gitops diff: '));
      expect(body(typed.stdout)).toEqual(body(comment));
    }, 60_000);

    it("CODEOWNERS asks game-server's owners for its source and folders, and the platform team for the firewall and Flux files", () => {
      const codeowners = read('.github/CODEOWNERS');
      const changed = git('diff', '--name-only', 'main', 'HEAD').split('\n');
      expect(changed).toEqual(expect.arrayContaining(['apps/game-server/src/index.ts', '.github/CODEOWNERS']));
      const reviewers = new Map<string, string[]>();
      for (const f of changed) reviewers.set(f, ownersOf(codeowners, f));
      for (const [f, who] of reviewers) {
        if (f.startsWith('apps/game-server/') || /^clusters\/[^/]+\/game-server\//.test(f))
          expect([f, who]).toEqual([f, GAME_OWNERS]);
        else expect([f, who]).toEqual([f, [...PLATFORM_OWNERS]]);
      }
      for (const c of CLUSTERS) {
        expect(changed).toContain(`clusters/${c.name}/game-server/manifests.yaml`);
        expect(changed).toContain(`clusters/${c.name}/azure/firewall-dnat.json`);
      }
    });

    it('Flux has an error Alert for every Kustomization of every cluster (game-server included), and they pass the schemas', () => {
      for (const c of CLUSTERS) {
        const docs = (f: string): KubeObject[] => parseAllDocuments(read(f)).map((d) => d.toJS() as KubeObject);
        const notifications = docs(`flux/${c.name}/notifications.yaml`);
        const kustomizations = [
          ...docs(`flux/${c.name}/platform.yaml`),
          ...docs(`clusters/${c.name}/platform/manifests.yaml`),
        ].filter((o) => o.kind === 'Kustomization');
        expect(kustomizations.map((k) => k.metadata.name)).toEqual(expect.arrayContaining(['platform', 'game-server']));
        const alerts = notifications.filter((o) => o.kind === 'Alert');
        for (const k of kustomizations) {
          const alert = alerts.find((a) => a.metadata.name === `${k.metadata.name}-failures`);
          expect([c.name, k.metadata.name, alert?.spec]).toEqual([
            c.name,
            k.metadata.name,
            expect.objectContaining({
              eventSeverity: 'error',
              eventSources: [{ kind: 'Kustomization', name: k.metadata.name, namespace: k.metadata.namespace }],
              eventMetadata: { app: k.metadata.name, cluster: c.name },
            }),
          ]);
        }
        expect(validateObjects([...notifications, ...kustomizations])).toEqual([]);
      }
    });

    describe('after the merge, a Renovate digest update of game-server', () => {
      let mergeBase = '';
      let oldImage = '';
      beforeAll(() => {
        git('checkout', '-q', 'main');
        git('merge', '-q', '--ff-only', 'add-game');
        mergeBase = git('rev-parse', 'main');
        git('checkout', '-q', '-b', 'renovate/apps/game-server-app-images');
        // What Renovate's regex manager (renovate.json) finds and writes: the digest it matched, replaced.
        const config = JSON.parse(read('renovate.json')) as {
          customManagers: { managerFilePatterns: string[]; matchStrings: string[] }[];
        };
        const [manager] = config.customManagers;
        const file = 'apps/game-server/src/index.ts';
        expect(new RegExp(manager.managerFilePatterns[0].slice(1, -1)).test(file)).toBe(true);
        const source = read(file);
        const matches = [...source.matchAll(new RegExp(manager.matchStrings[0], 'g'))];
        expect(matches.map((m) => m.groups)).toEqual([
          { depName: 'ghcr.io/contoso/game-server', currentValue: '5.2.0', currentDigest: DIGEST },
        ]);
        oldImage = matches[0][0].slice(1, -1);
        fs.writeFileSync(
          path.join(root, file),
          source.replace(matches[0][0], matches[0][0].replace(DIGEST, NEW_DIGEST)),
        );
        git('commit', '-qam', 'chore(deps): update ghcr.io/contoso/game-server digest');
      }, 60_000);

      it('is a one-file change to the app source', () => {
        expect(git('diff', '--name-only', 'main', 'HEAD')).toBe('apps/game-server/src/index.ts');
      });

      it('after the resynth job, the diff comment shows exactly one image line per cluster and no risk flag', () => {
        // The resynth job as written (its push left out: there is no remote).
        const steps = workflow.jobs.resynth.steps.filter((s) => s.run);
        expect(steps.map((s) => s.run!.split('\n')[0])).toEqual([
          'npm ci --no-audit --no-fund',
          'npm run synth',
          'git add -A clusters flux .github/CODEOWNERS',
        ]);
        expect(runStep('npm run --silent synth').code).toBe(0);
        const commit = steps[2].run!.split('\n').filter((l) => !l.startsWith('git push'));
        const r = runStep(commit.join('\n'), { GITHUB_HEAD_REF: 'renovate/apps/game-server-app-images' });
        expect([r.code, r.stderr]).toEqual([0, '']);
        expect(git('diff', '--name-only', 'HEAD~1', 'HEAD').split('\n').sort()).toEqual(
          CLUSTERS.map((c) => `clusters/${c.name}/game-server/manifests.yaml`).sort(),
        );

        const comment = diffComment(mergeBase);
        expect(comment).toContain('#### Risk flags: none');
        const newImage = oldImage.replace(DIGEST, NEW_DIGEST);
        const imageLines = comment.split('\n').filter((l) => l.includes(' -> '));
        expect(imageLines).toEqual(
          CLUSTERS.map(() => `    spec.template.spec.containers[name=game].image: "${oldImage}" -> "${newImage}"`),
        );
        for (const c of CLUSTERS)
          expect(comment).toContain(`<summary>${c.name} / game-server: 0 added, 0 removed, 1 changed</summary>`);
      }, 120_000);
    });
  });
});

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { CLUSTERS } from '@aks-gitops/cluster-model';
import { REPO } from '../scratch';
import { parseWorkflowFile } from './workflow-parser';
import type { ParsedWorkflow } from './workflow-parser';

/**
 * The pipelines, read as GitHub and Azure DevOps would run them: every workflow passes GitHub's own
 * parser, runs the right commands in the right order, and every command exists in package.json.
 */
const WORKFLOWS = path.join(REPO, '.github/workflows');
const workflowFiles = fs
  .readdirSync(WORKFLOWS)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();
const raw = (file: string): Record<string, any> => parse(fs.readFileSync(file, 'utf8')); // eslint-disable-line @typescript-eslint/no-explicit-any
const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
const bins = new Set(fs.readdirSync(path.join(REPO, 'node_modules/.bin')));
/** owner/repo that Flux pulls: the repository the fork guards name. */
const REPOSITORY = new URL(CLUSTERS[0].flux.url).pathname.replace(/^\//, '').replace(/\.git$/, '');

let parsed: Record<string, ParsedWorkflow>;
beforeAll(async () => {
  parsed = {};
  for (const f of workflowFiles) parsed[f] = await parseWorkflowFile(path.join(WORKFLOWS, f));
});
const runs = (w: ParsedWorkflow, job: string): string[] =>
  w.jobs.find((j) => j.id === job)!.steps.flatMap((s) => (s.run ? [s.run] : []));
const uses = (w: ParsedWorkflow, job: string): string[] =>
  w.jobs.find((j) => j.id === job)!.steps.flatMap((s) => (s.uses ? [s.uses] : []));

/** `npm run <script>` and `npx <bin>` in a shell script. */
function commands(script: string): { npmRun: string[]; npx: string[] } {
  return {
    npmRun: [...script.matchAll(/\bnpm run (?:(?:--silent|-s) )?([\w:.-]+)/g)].map((m) => m[1]),
    npx: [...script.matchAll(/\bnpx ([\w@/.-]+)/g)].map((m) => m[1]),
  };
}

describe('GitHub workflows', () => {
  it('has the pull-request and main workflows', () => {
    expect(workflowFiles).toEqual(expect.arrayContaining(['main.yml', 'pull-request.yml']));
  });

  it.each(workflowFiles)("%s passes GitHub's workflow parser", (f) => {
    expect(parsed[f].errors).toEqual([]);
  });

  it('the parser is real: it rejects a job without runs-on and an unknown key', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aks-gitops-wf-'));
    const bad = path.join(dir, 'bad.yml');
    fs.writeFileSync(bad, 'on: push\njobs:\n  a:\n    stepz: []\n');
    expect((await parseWorkflowFile(bad)).errors.length).toBeGreaterThan(0);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('every npm run and npx command exists in package.json scripts or installed bins', () => {
    for (const f of workflowFiles) {
      for (const job of parsed[f].jobs) {
        for (const script of runs(parsed[f], job.id)) {
          const { npmRun, npx } = commands(script);
          for (const s of npmRun) expect([f, job.id, s, s in pkg.scripts]).toEqual([f, job.id, s, true]);
          for (const b of npx) expect([f, job.id, b, bins.has(b)]).toEqual([f, job.id, b, true]);
        }
      }
    }
  });

  it('pins every action by full commit SHA with the version in a comment', () => {
    for (const f of workflowFiles) {
      const text = fs.readFileSync(path.join(WORKFLOWS, f), 'utf8');
      const lines = text.split('\n').filter((l) => /^\s*(-\s*)?uses:/.test(l));
      expect(lines.length).toBeGreaterThan(0);
      for (const l of lines)
        expect([f, l.trim()]).toEqual([
          f,
          expect.stringMatching(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+(\.\d+)*$/),
        ]);
    }
  });

  it('never uses pull_request_target (it would run fork code with write access and secrets)', () => {
    for (const f of workflowFiles) expect([f, parsed[f].events.includes('pull_request_target')]).toEqual([f, false]);
  });

  describe('pull-request.yml', () => {
    const f = 'pull-request.yml';
    const doc = raw(path.join(WORKFLOWS, f));

    it('runs for pull requests to main and for merge-queue groups', () => {
      expect(parsed[f].events.sort()).toEqual(['merge_group', 'pull_request']);
      expect(doc.on.pull_request.branches).toEqual(['main']);
    });

    it('checks out the full history and takes the nx affected base from the PR base or the merge group base', () => {
      expect(doc.jobs.validate.steps[0].with['fetch-depth']).toBe(0);
      const base = doc.jobs.validate.steps.find((s: { name?: string }) => s.name === 'Base and head for nx affected');
      expect(base.env).toEqual({
        PR_BASE: '${{ github.event.pull_request.base.sha }}',
        GROUP_BASE: '${{ github.event.merge_group.base_sha }}',
      });
      expect(base.run).toContain('NX_BASE=$(git merge-base "$base" HEAD)');
    });

    it('runs affected lint, typecheck and test, then drift and policy even when they failed', () => {
      const scripts = runs(parsed[f], 'validate');
      const affected = scripts.findIndex((s) =>
        s.startsWith('npx nx affected -t lint typecheck test --base="$NX_BASE" --head="$NX_HEAD"'),
      );
      expect(affected).toBeGreaterThan(0);
      expect(scripts.slice(affected + 1)).toEqual(['npm run drift', 'npm run policy -- --format github']);
      const always = doc.jobs.validate.steps.filter(
        (s: { run?: string }) => s.run?.startsWith('npm run drift') || s.run?.startsWith('npm run policy'),
      );
      expect(always.map((s: { if?: string }) => s.if)).toEqual(['${{ !cancelled() }}', '${{ !cancelled() }}']);
    });

    it('posts npm run diff --markdown from the PR base as one comment, updated in place by its header', () => {
      const diff = runs(parsed[f], 'diff').find((s) => s.includes('diff --'))!;
      expect(diff).toContain('npm run --silent diff -- --base "${PR_BASE:-$GROUP_BASE}" --head HEAD --markdown');
      const post = doc.jobs.diff.steps.find((s: { uses?: string }) =>
        s.uses?.startsWith('marocchino/sticky-pull-request-comment@'),
      );
      expect(post.with.header).toBe('aks-gitops-diff');
      expect(doc.jobs.diff.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
      // The validating job cannot write to the PR.
      expect(doc.jobs.validate.permissions).toBeUndefined();
      expect(doc.permissions).toEqual({ contents: 'read' });
    });

    it('re-synthesizes Renovate branches of this repository only', () => {
      const job = parsed[f].jobs.find((j) => j.id === 'resynth')!;
      expect(job.if).toContain("startsWith(github.head_ref, 'renovate/')");
      expect(job.if).toContain('github.event.pull_request.head.repo.full_name == github.repository');
      expect(runs(parsed[f], 'resynth')).toEqual(expect.arrayContaining(['npm run synth']));
    });
  });

  describe('main.yml', () => {
    const f = 'main.yml';
    const doc = raw(path.join(WORKFLOWS, f));

    it('runs on pushes to main only, and every job is guarded against forks', () => {
      expect(parsed[f].events).toEqual(['push']);
      expect(doc.on.push.branches).toEqual(['main']);
      for (const job of parsed[f].jobs)
        expect([job.id, job.if]).toEqual([job.id, expect.stringContaining(`github.repository == '${REPOSITORY}'`)]);
    });

    it('logs in to Azure with OIDC workload identity federation, then plans, then applies', () => {
      const edge = doc.jobs.edge;
      expect(edge.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
      const login = edge.steps.find((s: { uses?: string }) => s.uses?.startsWith('azure/login@'));
      expect(Object.keys(login.with).sort()).toEqual(['client-id', 'subscription-id', 'tenant-id']); // no client secret
      const order = uses(parsed[f], 'edge').concat(runs(parsed[f], 'edge'));
      expect(order.filter((s) => s.startsWith('npm run edge'))).toEqual([
        'npm run edge -- plan --cluster "$CLUSTER"',
        'npm run edge -- apply --cluster "$CLUSTER"',
      ]);
      const steps = parsed[f].jobs.find((j) => j.id === 'edge')!.steps;
      const at = (pred: (s: { uses?: string; run?: string }) => boolean) => steps.findIndex(pred);
      expect(at((s) => !!s.uses?.startsWith('azure/login@'))).toBeLessThan(
        at((s) => !!s.run?.includes('edge -- plan')),
      );
      expect(doc.jobs.edge.needs).toBe('verify');
      expect(runs(parsed[f], 'verify')).toEqual(expect.arrayContaining(['npm run drift', 'npm run policy']));
    });

    it('serializes applies per Firewall Policy, never cancelling one under way', () => {
      expect(doc.jobs.edge.concurrency).toEqual({
        group: 'firewall-policy-${{ matrix.firewallPolicy }}',
        'cancel-in-progress': false,
      });
    });

    it('lists every cluster of the fleet with the Firewall Policy its committed DNAT rules go to', () => {
      const expected = CLUSTERS.map((c) => {
        const dnat = JSON.parse(
          fs.readFileSync(path.join(REPO, 'clusters', c.name, 'azure/firewall-dnat.json'), 'utf8'),
        ) as { resourceId: string };
        return { cluster: c.name, firewallPolicy: dnat.resourceId.replace(/\/ruleCollectionGroups\/[^/]+$/, '') };
      }).sort((a, b) => (a.cluster < b.cluster ? -1 : 1));
      expect(doc.jobs.edge.strategy.matrix.include).toEqual(expected);
    });
  });
});

describe('azure-pipelines.yml (Azure DevOps)', () => {
  // No kept parser for Azure Pipelines YAML installs from npm; read with `yaml` and checked here.
  const doc = raw(path.join(REPO, 'azure-pipelines.yml'));
  const stage = (name: string) => doc.stages.find((s: { stage: string }) => s.stage === name);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const scriptsOf = (steps: Record<string, any>[]): string[] =>
    steps.flatMap((s) => [s.script, s.inputs?.inlineScript].filter((x): x is string => typeof x === 'string'));
  const validate = stage('validate').jobs[0].steps;
  const edgeJobs = stage('edge').jobs;

  it('validates PRs to main with affected lint/typecheck/test, then drift and policy always, and the diff', () => {
    expect(doc.pr.branches.include).toEqual(['main']);
    expect(validate[0]).toEqual({ checkout: 'self', fetchDepth: 0 });
    const scripts = scriptsOf(validate);
    expect(scripts).toEqual(expect.arrayContaining(['npm run drift', 'npm run policy']));
    expect(scripts.some((s) => s.startsWith('npx nx affected -t lint typecheck test'))).toBe(true);
    expect(scripts.some((s) => s.includes('npm run --silent diff -- --base "$(NX_BASE)" --head HEAD --markdown'))).toBe(
      true,
    );
    for (const s of validate.filter(
      (x: { script?: string }) => x.script === 'npm run drift' || x.script === 'npm run policy',
    ))
      expect(s.condition).toBe('succeededOrFailed()');
  });

  it('applies the edge only from main, per cluster, plan before apply, with a workload identity service connection', () => {
    expect(stage('edge').condition).toContain("eq(variables['Build.SourceBranch'], 'refs/heads/main')");
    expect(stage('edge').condition).toContain("ne(variables['Build.Reason'], 'PullRequest')");
    expect(doc.lockBehavior).toBe('sequential');
    expect(edgeJobs.map((j: { variables: { CLUSTER: string } }) => j.variables.CLUSTER).sort()).toEqual(
      CLUSTERS.map((c) => c.name).sort(),
    );
    for (const job of edgeJobs) {
      const cli = job.strategy.runOnce.deploy.steps.find((s: { task?: string }) => s.task === 'AzureCLI@2');
      expect(cli.inputs.azureSubscription).toEqual(expect.any(String));
      expect(cli.inputs.inlineScript.trim().split('\n')).toEqual([
        'npm run edge -- plan --cluster "$CLUSTER"',
        'npm run edge -- apply --cluster "$CLUSTER"',
      ]);
    }
  });

  it('every npm run and npx command exists in package.json scripts or installed bins', () => {
    const all = [
      ...scriptsOf(validate),
      ...edgeJobs.flatMap((j: { strategy: { runOnce: { deploy: { steps: Record<string, unknown>[] } } } }) =>
        scriptsOf(j.strategy.runOnce.deploy.steps),
      ),
    ];
    for (const script of all) {
      const { npmRun, npx } = commands(script);
      for (const s of npmRun) expect([s, s in pkg.scripts]).toEqual([s, true]);
      for (const b of npx) expect([b, bins.has(b)]).toEqual([b, true]);
    }
  });
});

import { loadFleet } from '@aks-gitops/cluster-model';
import { type EdgeArgs, runEdge } from '@aks-gitops/azure-edge';
import { runDiff } from '@aks-gitops/diff';
import { policyClusterOf, runPolicy } from '@aks-gitops/policy';
import { CLAIMS_CACHE_FILE, checkDrift, promote, runSynth } from '@aks-gitops/synth';
import { type Invocation, optionFlag, optionList, optionString } from './command-spec';

/** What each command does with its parsed options: calls one library function and prints the outcome. */

export async function synth({ values, root, clusterSpecs }: Invocation): Promise<number> {
  // `--app a,b --app c`: CI can hand over a whole list (e.g. from `nx show projects --affected`).
  const onlyApps = optionList(values, 'app')
    ?.flatMap((a) => a.split(','))
    .map((a) => a.trim())
    .filter((a) => a !== '');
  const started = Date.now();
  const onWait = ({ pid, since, waitedMs }: { pid: number; since: Date; waitedMs: number }): void => {
    process.stderr.write(
      waitedMs < 1000
        ? `synth: another synth (pid ${pid}) has been writing since ${since.toISOString()}; waiting for it (--no-wait to fail instead)\n`
        : `synth: still waiting for pid ${pid} (${Math.round(waitedMs / 1000)} s)\n`,
    );
  };
  const result = await runSynth({
    root,
    clusters: clusterSpecs(),
    onlyClusters: optionList(values, 'cluster'),
    onlyApps,
    changed: optionFlag(values, 'changed'),
    // Nx's own variable for the affected base, which CI sets: the task inherits it.
    base: optionFlag(values, 'changed') ? optionString(values, 'base') || process.env.NX_BASE || undefined : undefined,
    cache: !optionFlag(values, 'no-cache'),
    lock: { wait: !optionFlag(values, 'no-wait'), onWait },
  });
  const { stats } = result.output;
  const units = result.plan.replace.length + result.plan.remove.length;
  const waived = result.report.findings.filter((f) => f.waived).length;
  const warnings = result.report.findings.filter((f) => !f.waived && f.severity === 'warning').length;
  process.stdout.write(
    `synth: ${stats.clusters} cluster(s), ${stats.apps} app(s), ${stats.objects} objects; ` +
      `${result.plan.changedFiles.length} file(s) changed in ${units} folder(s); ` +
      `policy ok (${warnings} warning(s), ${waived} waived); ` +
      `${result.declared.length} app(s) declared${result.replayed.length ? `, ${result.replayed.length} replayed from ${CLAIMS_CACHE_FILE}` : ''}; ` +
      (result.output.kept.length
        ? `platform/, azure/ and flux/ kept as written on ${result.output.kept.length} cluster(s) (no app's claims changed); `
        : '') +
      `${Date.now() - started} ms\n`,
  );
  if (result.changedBy) process.stdout.write(`  --changed: ${result.changedBy}\n`);
  for (const f of result.plan.changedFiles.slice(0, 20)) process.stdout.write(`  ${f}\n`);
  if (result.plan.changedFiles.length > 20)
    process.stdout.write(`  ... and ${result.plan.changedFiles.length - 20} more\n`);
  if (result.recovered === 'rolled-forward')
    process.stdout.write('synth: completed an interrupted earlier write first\n');
  return 0;
}

export function drift({ values, root, clusterSpecs }: Invocation): number {
  const { files } = checkDrift({ root, clusters: clusterSpecs(), onlyClusters: optionList(values, 'cluster') });
  if (files.length === 0) {
    process.stdout.write('drift: clusters/, flux/ and .github/CODEOWNERS match the code\n');
    return 0;
  }
  process.stderr.write(
    `drift: ${files.length} file(s) differ from what the code produces:\n${files.map((f) => `  ${f}`).join('\n')}\nRun \`npm run synth\` and commit the result.\n`,
  );
  return 1;
}

export function promoteApp({ values, root, clusterSpecs }: Invocation): number {
  const app = optionString(values, 'app') as string;
  const release = promote({ root, app, from: optionString(values, 'from'), clusters: loadFleet(clusterSpecs()) });
  process.stdout.write(
    `promote: apps/${app}/release.json now pins ${release.image} (as it runs on ${release.verifiedOn})\nRun \`npm run synth\` and commit both: prod clusters then run exactly this image.\n`,
  );
  return 0;
}

export function policy({ values, root, clusterSpecs }: Invocation): Promise<number> {
  return runPolicy(
    {
      format: optionFlag(values, 'json') ? 'json' : optionString(values, 'format'),
      cluster: optionString(values, 'cluster'),
      waivers: optionFlag(values, 'waivers'),
    },
    { rootDir: root, clusters: loadFleet(clusterSpecs()).map(policyClusterOf) },
  );
}

export function edge(command: EdgeArgs['command']): (invocation: Invocation) => Promise<number> {
  return ({ values, root, clusterSpecs }) => {
    const endpoint = optionString(values, 'endpoint');
    const format = optionFlag(values, 'json') ? 'json' : optionFlag(values, 'markdown') ? 'markdown' : 'text';
    const clusters = optionList(values, 'cluster');
    const args: EdgeArgs =
      command === 'prune'
        ? {
            command,
            endpoint,
            policies: optionList(values, 'policy'),
            subscriptions: optionList(values, 'subscription'),
            yes: optionFlag(values, 'yes'),
          }
        : command === 'apply'
          ? { command, endpoint, clusters }
          : { command, endpoint, clusters, format, offline: optionFlag(values, 'offline') };
    return runEdge(args, { rootDir: root, clusters: [...loadFleet(clusterSpecs())] });
  };
}

export function diff({ values, root, clusterSpecs }: Invocation): number {
  return runDiff(
    {
      base: optionString(values, 'base') as string,
      head: optionString(values, 'head'),
      format: optionFlag(values, 'json') ? 'json' : optionFlag(values, 'markdown') ? 'markdown' : 'text',
    },
    {
      rootDir: root,
      clusters: loadFleet(clusterSpecs()).map((c) => ({ name: c.name, environment: c.environment })),
    },
  );
}

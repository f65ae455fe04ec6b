import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { CLUSTERS, ConfigError, ConfigErrors, loadFleet } from '@aks-gitops/cluster-model';
import type { ClusterSpec } from '@aks-gitops/cluster-model';
import { runEdgeCli } from '@aks-gitops/azure-edge';
import { runDiffCli } from '@aks-gitops/diff';
import { policyClusterOf, runPolicyCli } from '@aks-gitops/policy';
import { checkDrift } from './commands/drift';
import { CLAIMS_CACHE_FILE } from './cache/claims-cache';
import { OutputLockedError, OutputWriteError } from './write';
import { PolicyGateError, runSynth } from './commands/synth-command';
import { promote } from './commands/promote';

const USAGE = `usage: npm run <command> -- [options]

  synth   [--cluster <name>]... [--app <name>[,<name>...]]... [--changed] [--no-cache] [--no-wait] [--debug]
          Render apps into clusters/<cluster>/<app>/ and flux/<cluster>/. Checks every app on every
          cluster and the policy gate first; on any error nothing is written. With --app, apps
          whose sources are unchanged since the last synth are checked from their cached claims
          (.synth-cache/) instead of being loaded again; --no-cache loads and compiles every app
          from source and uses no cache. --changed renders only the apps whose sources changed
          since their folders were last written on this machine (everything without that record),
          with the same result as a full synth: what \`nx affected -t synth\` runs, once for the
          whole affected set. While another synth writes, waits for it (--no-wait: fail at once
          instead).
  drift   [--cluster <name>]...
          Synthesize everything (or these clusters) in memory, from source (no cache), and fail if
          clusters/, flux/ or .github/CODEOWNERS differ from it or clusters/ or flux/ hold a file
          synth did not write. One CI job per cluster finds together exactly what one run finds.
  policy  [--format table|json|sarif|junit|github] [--cluster <name>] [--waivers]   Run the zero-trust policy gate over clusters/ and flux/ (--waivers: list every waiver).
  edge    plan|apply|prune [options]   Azure Firewall DNAT rules (edge help for options).
  promote --app <name> [--from <cluster>]   Record the image the app runs on a non-prod cluster (its
          committed manifests) in apps/<name>/release.json, which prod clusters run; then synth.
  diff    --base <ref> [--head <ref>] [--markdown | --json]   What a change does to clusters/, flux/
          and the Azure edge, read from the committed output of two git refs; risk flags first.

  Exit codes: 0 ok; 1 bad input, policy gate or drift; 2 command-line usage; 3 a bug in aks-gitops.
  Every command takes --clusters-module <file.ts> to use another fleet than libs/cluster-model,
  and honours AKS_GITOPS_ROOT (default: the current directory) as the repository root.
`;

export async function main(argv: string[], root = process.cwd()): Promise<number> {
  const [command, ...args] = argv;
  const debug = args.includes('--debug');
  // `npm run synth -- --help` asks for the usage, like `npm run synth help`.
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  try {
    // --clusters-module <file>: synthesize against another fleet (a scratch fleet in tests, or a
    // staging copy of the fleet while reviewing a cluster change). Default: libs/cluster-model.
    const { rest, clustersModule } = takeOption(args, '--clusters-module');
    const specs = clustersModule ? loadClustersModule(path.resolve(root, clustersModule)) : CLUSTERS;
    switch (command) {
      case 'synth':
        return await synthCommand(rest, root, specs);
      case 'drift':
        return driftCommand(rest, root, specs);
      case 'policy':
        return await runPolicyCli(rest, { rootDir: root, clusters: loadFleet(specs).map(policyClusterOf) });
      case 'edge':
        return await runEdgeCli(rest, { rootDir: root, clusters: [...loadFleet(specs)] });
      case 'promote':
        return promoteCommand(rest, root, specs);
      case 'diff':
        return runDiffCli(rest, {
          rootDir: root,
          clusters: loadFleet(specs).map((c) => ({ name: c.name, environment: c.environment })),
        });
      default:
        process.stderr.write(USAGE);
        return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
    }
  } catch (e) {
    return reportError(e, debug);
  }
}

function takeOption(args: string[], name: string): { rest: string[]; clustersModule?: string } {
  const i = args.indexOf(name);
  if (i < 0) return { rest: args };
  const value = args[i + 1];
  if (value === undefined || value.startsWith('--')) throw new UsageError(`option ${name} needs a file`);
  return { rest: [...args.slice(0, i), ...args.slice(i + 2)], clustersModule: value };
}

/** A mistake in the command line itself: exit 2 with the usage text. */
class UsageError extends Error {
  override name = 'UsageError';
}

function loadClustersModule(file: string): readonly ClusterSpec[] {
  let mod: { clusters?: unknown; default?: unknown };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(file) as { clusters?: unknown; default?: unknown };
  } catch (e) {
    if (ConfigError.is(e)) throw e;
    const message = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    throw new ConfigError({
      field: '--clusters-module',
      problem: `${file} cannot be loaded: ${message}`,
      fix: 'point --clusters-module at a TypeScript file that exports `clusters`',
      cause: e,
    });
  }
  const specs = mod.clusters ?? mod.default;
  if (!Array.isArray(specs)) {
    throw new ConfigError({
      field: '--clusters-module',
      problem: `${file} exports no array of cluster specs`,
      fix: 'export const clusters: ClusterSpec[] = [...]',
    });
  }
  return specs as ClusterSpec[];
}

async function synthCommand(args: string[], root: string, clusters: readonly ClusterSpec[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      cluster: { type: 'string', multiple: true },
      app: { type: 'string', multiple: true },
      changed: { type: 'boolean' },
      'no-cache': { type: 'boolean' },
      'no-wait': { type: 'boolean' },
      debug: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.changed && (values.app || values['no-cache'] || values.cluster))
    throw new UsageError('--changed decides which apps to render itself; it takes no --app, --cluster or --no-cache');
  // `--app a,b --app c`: CI can hand over a whole list (e.g. from `nx show projects --affected`).
  const onlyApps = values.app
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
    clusters,
    onlyClusters: values.cluster,
    onlyApps,
    changed: values.changed,
    cache: !values['no-cache'],
    lock: { wait: !values['no-wait'], onWait },
  });
  const { stats } = result.output;
  const units = result.plan.replace.length + result.plan.remove.length;
  const waived = result.report.findings.filter((f) => f.waived).length;
  const warnings = result.report.findings.filter((f) => !f.waived && f.severity === 'warning').length;
  process.stdout.write(
    `synth: ${stats.clusters} cluster(s), ${stats.apps} app(s), ${stats.objects} objects; ` +
      `${result.plan.changedFiles.length} file(s) changed in ${units} folder(s); ` +
      `policy ok (${warnings} warning(s), ${waived} waived); ` +
      `${result.declared.length} app(s) declared${result.replayed.length ? `, ${result.replayed.length} replayed from ${CLAIMS_CACHE_FILE}` : ''}; ${Date.now() - started} ms\n`,
  );
  for (const f of result.plan.changedFiles.slice(0, 20)) process.stdout.write(`  ${f}\n`);
  if (result.plan.changedFiles.length > 20)
    process.stdout.write(`  ... and ${result.plan.changedFiles.length - 20} more\n`);
  if (result.recovered === 'rolled-forward')
    process.stdout.write('synth: completed an interrupted earlier write first\n');
  return 0;
}

function promoteCommand(args: string[], root: string, clusters: readonly ClusterSpec[]): number {
  const { values } = parseArgs({ args, options: { app: { type: 'string' }, from: { type: 'string' } }, strict: true });
  if (!values.app) throw new UsageError('promote needs --app <name>');
  const release = promote({ root, app: values.app, from: values.from, clusters: loadFleet(clusters) });
  process.stdout.write(
    `promote: apps/${values.app}/release.json now pins ${release.image} (as it runs on ${release.verifiedOn})\nRun \`npm run synth\` and commit both: prod clusters then run exactly this image.\n`,
  );
  return 0;
}

function driftCommand(args: string[], root: string, clusters: readonly ClusterSpec[]): number {
  const { values } = parseArgs({
    args,
    options: { cluster: { type: 'string', multiple: true }, debug: { type: 'boolean' } },
    strict: true,
  });
  const { files } = checkDrift({ root, clusters, onlyClusters: values.cluster });
  if (files.length === 0) {
    process.stdout.write('drift: clusters/, flux/ and .github/CODEOWNERS match the code\n');
    return 0;
  }
  process.stderr.write(
    `drift: ${files.length} file(s) differ from what the code produces:\n${files.map((f) => `  ${f}`).join('\n')}\nRun \`npm run synth\` and commit the result.\n`,
  );
  return 1;
}

function reportError(e: unknown, debug: boolean): number {
  if (ConfigError.is(e) || e instanceof ConfigErrors) {
    process.stderr.write(`error: ${e.message.split('\n').join('\nerror: ')}\nNothing was written.\n`);
    if (debug && e.cause) process.stderr.write(`${(e.cause as Error).stack ?? e.cause}\n`);
    return 1;
  }
  if (e instanceof PolicyGateError) {
    process.stderr.write(`${e.message}\n`);
    return 1;
  }
  // The machine, not the input or a bug: a full disk, a read-only folder, a lock held by another synth.
  const io = OutputWriteError.from(e);
  if (io || e instanceof OutputLockedError) {
    process.stderr.write(`error: ${(io ?? (e as Error)).message}\n`);
    return 1;
  }
  const code = (e as { code?: unknown } | undefined)?.code;
  if (e instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_'))) {
    process.stderr.write(`error: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  // Exit 3, not 1 or 2: CI can tell a bug in aks-gitops from bad input or a typo.
  process.stderr.write(
    `internal error (a bug in aks-gitops, please report it):\n${e instanceof Error ? e.stack : String(e)}\n`,
  );
  return 3;
}

if (require.main === module) {
  // `npm run synth | head` closes the pipe early: that is not an error of the synth.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  main(process.argv.slice(2), path.resolve(process.env.AKS_GITOPS_ROOT ?? process.cwd())).then((code) => {
    process.exitCode = code;
  });
}

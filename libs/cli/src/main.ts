import * as path from 'node:path';
import { CLUSTERS, ConfigError, ConfigErrors, type ClusterSpec } from '@aks-gitops/cluster-model';
import { OutputLockedError, OutputWriteError, PolicyGateError } from '@aks-gitops/synth';
import { type CommandSpec, optionString, UsageError } from './command-spec';
import { asksForHelp, helpFor, parseCommandLine, resolveCommand, usage } from './parse';

/**
 * `aks-gitops <command> [options]`: finds the command in the table (commands.ts), parses its
 * options, runs it and turns what it throws into an exit code. `argv` is what follows the command name
 * `aks-gitops`; `root` the repository root.
 */
export async function main(argv: readonly string[], root = process.cwd()): Promise<number> {
  let command: CommandSpec | undefined;
  try {
    const resolved = resolveCommand(argv);
    if (resolved.kind === 'help') {
      process.stdout.write(resolved.text);
      return 0;
    }
    command = resolved.command;
    if (asksForHelp(resolved.args)) {
      process.stdout.write(usage(command));
      return 0;
    }
    const { values, positionals } = parseCommandLine(command, resolved.args);
    const clustersModule = optionString(values, 'clusters-module');
    let specs: readonly ClusterSpec[] | undefined;
    const clusterSpecs = () =>
      (specs ??= clustersModule ? loadClustersModule(path.resolve(root, clustersModule)) : CLUSTERS);
    return await command.run({ values, positionals, root, clusterSpecs });
  } catch (e) {
    return reportError(e, argv.includes('--debug'), command);
  }
}

/**
 * --clusters-module <file>: synthesize against another fleet (a scratch fleet in tests, or a staging
 * copy of the fleet while reviewing a cluster change). Default: libs/cluster-model.
 */
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

/** Exit 1 for bad input, a closed gate or the machine; 2 for the command line; 3 for a bug. */
function reportError(e: unknown, debug: boolean, command: CommandSpec | undefined): number {
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
  if (e instanceof UsageError) {
    const of = e.command ?? command;
    process.stderr.write(`error: ${e.message}\n\n${of ? usage(of) : helpFor([])}`);
    return 2;
  }
  // Exit 3, not 1 or 2: CI can tell a bug in aks-gitops from bad input or a typo.
  process.stderr.write(
    `internal error (a bug in aks-gitops, please report it${debug ? '' : '; run again with --debug for TypeScript line numbers'}):\n${e instanceof Error ? e.stack : String(e)}\n`,
  );
  return 3;
}

/** Runs the CLI in this process and sets its exit code: what `node main.ts` and the bin do. */
export function runFromCommandLine(argv: string[]): void {
  // `npm run synth | head` closes the pipe early: that is not an error of the synth.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  main(argv, path.resolve(process.env.AKS_GITOPS_ROOT ?? process.cwd())).then((code) => {
    process.exitCode = code;
  });
}

if (require.main === module) runFromCommandLine(process.argv.slice(2));

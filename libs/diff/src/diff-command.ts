import { diffRefs } from './fleet-diff';
import { formatJson, formatMarkdown, formatText } from './format';
import { GitRefError } from './git-tree';

/** What `diff` is asked to do, as the aks-gitops CLI parsed it from the command line. */
export interface DiffArgs {
  readonly base: string;
  /** Default HEAD. */
  readonly head?: string;
  /** text (default), markdown (a pull-request comment) or json (everything, for machines). */
  readonly format?: 'text' | 'markdown' | 'json';
}

export interface DiffCommandOptions {
  /** The git repository. */
  readonly rootDir: string;
  /** Each cluster's environment; clusters missing here are read as prod. */
  readonly clusters: readonly { readonly name: string; readonly environment: string }[];
  readonly stdout?: (s: string) => void;
  readonly stderr?: (s: string) => void;
}

/** `diff`: exit 0 with the diff (changes are not an error), 1 when a ref cannot be read. */
export function runDiff(args: DiffArgs, opts: DiffCommandOptions): number {
  const out = opts.stdout ?? ((s: string) => void process.stdout.write(s));
  const err = opts.stderr ?? ((s: string) => void process.stderr.write(s));
  try {
    const diff = diffRefs({
      root: opts.rootDir,
      base: args.base,
      head: args.head,
      environments: new Map(opts.clusters.map((c) => [c.name, c.environment])),
    });
    out(
      args.format === 'json' ? formatJson(diff) : args.format === 'markdown' ? formatMarkdown(diff) : formatText(diff),
    );
    return 0;
  } catch (e) {
    if (e instanceof GitRefError) {
      err(`error: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

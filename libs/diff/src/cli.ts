import { parseArgs } from 'node:util';
import { diffRefs } from './fleet-diff';
import { formatJson, formatMarkdown, formatText } from './format';
import { GitRefError } from './git-tree';

export const DIFF_USAGE = `usage: npm run diff -- --base <ref> [--head <ref>] [--markdown | --json]

  Compares the committed clusters/ and flux/ of two git refs (read from git, no checkout):
  objects added, removed and changed per cluster and app (one line per changed field), Azure
  Firewall DNAT rules, and risk flags first.
  --head      default HEAD
  --markdown  a pull-request comment (under GitHub's 65,536-character limit, one <details> per app)
  --json      everything, for machines
`;

export interface DiffCliOptions {
  /** The git repository. */
  readonly rootDir: string;
  /** Each cluster's environment; clusters missing here are read as prod. */
  readonly clusters: readonly { readonly name: string; readonly environment: string }[];
  readonly stdout?: (s: string) => void;
  readonly stderr?: (s: string) => void;
}

/** `diff`: exit 0 with the diff (changes are not an error), 1 when a ref cannot be read, 2 on usage. */
export function runDiffCli(argv: string[], opts: DiffCliOptions): number {
  const out = opts.stdout ?? ((s: string) => void process.stdout.write(s));
  const err = opts.stderr ?? ((s: string) => void process.stderr.write(s));
  let values: { base?: string; head?: string; markdown?: boolean; json?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        base: { type: 'string' },
        head: { type: 'string' },
        markdown: { type: 'boolean' },
        json: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    err(`error: ${(e as Error).message}\n${DIFF_USAGE}`);
    return 2;
  }
  if (!values.base || (values.markdown && values.json)) {
    err(`error: ${values.base ? 'choose one of --markdown and --json' : '--base <ref> is required'}\n${DIFF_USAGE}`);
    return 2;
  }
  try {
    const diff = diffRefs({
      root: opts.rootDir,
      base: values.base,
      head: values.head,
      environments: new Map(opts.clusters.map((c) => [c.name, c.environment])),
    });
    out(values.json ? formatJson(diff) : values.markdown ? formatMarkdown(diff) : formatText(diff));
    return 0;
  } catch (e) {
    if (e instanceof GitRefError) {
      err(`error: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { evaluate } from './evaluate';
import { formatGithub } from './format-github';
import { formatJson } from './format-json';
import { formatJunit } from './format-junit';
import { formatSarif } from './format-sarif';
import { formatTable } from './format-table';
import { loadTree } from './load-tree';
import type { PolicyCluster, PolicyReport } from './model';
import { clusterOfFile } from './object-identity';
import { formatWaiverJson, formatWaiverTable, listWaivers } from './waiver-list';

export const POLICY_EXIT_OK = 0;
/** At least one unwaived error finding: the gate is closed. */
export const POLICY_EXIT_FAILED = 1;
/** Bad arguments: distinct from a failed gate so CI does not report a policy violation for a typo. */
export const POLICY_EXIT_USAGE = 2;

export interface PolicyCliOptions {
  /** Repository root holding clusters/ and flux/. */
  rootDir: string;
  /** The fleet: which clusters exist and their environments (not recorded on disk). */
  clusters: PolicyCluster[];
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
}

/** Every report format, by its `--format` name. */
export const POLICY_FORMATS: Readonly<Record<string, (report: PolicyReport) => string>> = {
  table: formatTable,
  json: formatJson,
  sarif: formatSarif,
  junit: formatJunit,
  github: formatGithub,
};

export const POLICY_USAGE = `usage: policy [--format table|json|sarif|junit|github] [--json] [--cluster <name>] [--waivers]
  --format <name>   table (default), json, sarif (SARIF 2.1.0 for code scanning), junit (JUnit XML
                    for test tabs) or github (workflow-command annotations on the generated file and line)
  --json            the same as --format json
  --cluster <name>  only evaluate one cluster
  --waivers         list every waiver per cluster and app (with --json: as JSON) instead of the report
exit codes: 0 passed, 1 unwaived error findings, 2 usage error
`;

interface CliArguments {
  format: string;
  waivers: boolean;
  cluster: string | undefined;
  help: boolean;
}

function parseArguments(argv: string[]): CliArguments | string {
  const parsed: CliArguments = { format: 'table', waivers: false, cluster: undefined, help: false };
  for (let position = 0; position < argv.length; position++) {
    const argument = argv[position];
    if (argument === '--json') parsed.format = 'json';
    else if (argument === '--waivers') parsed.waivers = true;
    else if (argument === '--help' || argument === '-h') parsed.help = true;
    else if (argument === '--format' || argument.startsWith('--format=')) {
      const value = argument === '--format' ? argv[++position] : argument.slice('--format='.length);
      if (value === undefined || !Object.prototype.hasOwnProperty.call(POLICY_FORMATS, value))
        return `--format needs one of ${Object.keys(POLICY_FORMATS).join(', ')}${value === undefined ? '' : ` (got ${JSON.stringify(value)})`}`;
      parsed.format = value;
    } else if (argument === '--cluster') {
      const value = argv[++position];
      if (value === undefined || value.startsWith('--')) return '--cluster needs a cluster name';
      parsed.cluster = value;
    } else if (argument.startsWith('--cluster=')) {
      parsed.cluster = argument.slice('--cluster='.length);
      if (parsed.cluster === '') return '--cluster needs a cluster name';
    } else return `unknown argument: ${argument}`;
  }
  return parsed;
}

/**
 * `policy` command: loads the generated tree, evaluates it and prints the report in the chosen format. Returns the
 * exit code rather than exiting, so the caller decides how the process ends and tests can call it.
 * `argv` holds the arguments after the command name.
 */
export async function runPolicyCli(argv: string[], options: PolicyCliOptions): Promise<number> {
  const stdout = options.stdout ?? ((text: string) => void process.stdout.write(text));
  const stderr = options.stderr ?? ((text: string) => void process.stderr.write(text));
  const parsed = parseArguments(argv);
  if (typeof parsed === 'string') {
    stderr(`policy: ${parsed}\n${POLICY_USAGE}`);
    return POLICY_EXIT_USAGE;
  }
  if (parsed.help) {
    stdout(POLICY_USAGE);
    return POLICY_EXIT_OK;
  }

  const tree = await loadTree(options.rootDir, {
    knownClusters: new Set(options.clusters.map((cluster) => cluster.name)),
    knownApps: await appFolders(options.rootDir),
  });
  const only = parsed.cluster;
  if (
    only !== undefined &&
    !options.clusters.some((cluster) => cluster.name === only) &&
    !tree.clusterNames.includes(only)
  ) {
    stderr(
      `policy: unknown cluster ${only} (known: ${[...new Set([...options.clusters.map((cluster) => cluster.name), ...tree.clusterNames])].sort().join(', ')})\n`,
    );
    return POLICY_EXIT_USAGE;
  }
  const inScope = (file: string): boolean => only === undefined || clusterOfFile(file) === only;
  const documents = tree.documents.filter((document) => inScope(document.file));
  const report = evaluate({
    documents,
    clusters: options.clusters.filter((cluster) => only === undefined || cluster.name === only),
    existingPaths: tree.existingPaths,
    unreadableFiles: tree.unreadableFiles.filter((file) => inScope(file.file)),
  });
  if (parsed.waivers) {
    // The exit code still says whether the gate passes, so a rejected waiver fails CI here too.
    const waivers = listWaivers(documents);
    stdout(parsed.format === 'json' ? formatWaiverJson(waivers) : formatWaiverTable(waivers));
  } else {
    stdout(POLICY_FORMATS[parsed.format](report));
  }
  return report.ok ? POLICY_EXIT_OK : POLICY_EXIT_FAILED;
}

/** The app folders under `<root>/apps/`, or undefined when there is none (a tree checked on its own). */
async function appFolders(rootDir: string): Promise<Set<string> | undefined> {
  let entries;
  try {
    entries = await fs.readdir(path.join(rootDir, 'apps'), { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return new Set(entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name));
}

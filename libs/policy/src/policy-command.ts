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
/** A cluster that does not exist: distinct from a failed gate so CI does not report a policy violation for a typo. */
export const POLICY_EXIT_USAGE = 2;

/** What `policy` is asked to do, as the aks-gitops CLI parsed it from the command line. */
export interface PolicyArgs {
  /** A key of POLICY_FORMATS; default table. */
  format?: string;
  /** Only evaluate this cluster. */
  cluster?: string;
  /** List every waiver (as JSON with format json) instead of the report. */
  waivers?: boolean;
}

export interface PolicyOptions {
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

/**
 * `policy`: loads the generated tree, evaluates it and prints the report in the chosen format. Returns the exit code
 * rather than exiting, so the caller decides how the process ends and tests can call it.
 */
export async function runPolicy(args: PolicyArgs, options: PolicyOptions): Promise<number> {
  const stdout = options.stdout ?? ((text: string) => void process.stdout.write(text));
  const stderr = options.stderr ?? ((text: string) => void process.stderr.write(text));
  const format = args.format ?? 'table';
  if (!Object.prototype.hasOwnProperty.call(POLICY_FORMATS, format)) {
    stderr(`policy: --format needs one of ${Object.keys(POLICY_FORMATS).join(', ')} (got ${JSON.stringify(format)})\n`);
    return POLICY_EXIT_USAGE;
  }

  const tree = await loadTree(options.rootDir, {
    knownClusters: new Set(options.clusters.map((cluster) => cluster.name)),
    knownApps: await appFolders(options.rootDir),
  });
  const only = args.cluster;
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
  if (args.waivers) {
    // The exit code still says whether the gate passes, so a rejected waiver fails CI here too.
    const waivers = listWaivers(documents);
    stdout(format === 'json' ? formatWaiverJson(waivers) : formatWaiverTable(waivers));
  } else {
    stdout(POLICY_FORMATS[format](report));
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

import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { TokenCredential } from '@azure/identity';
import { type ClusterSpec, ConfigError, ConfigErrors } from '@aks-gitops/cluster-model';
import { type ArmClientOptions, applyFirewallDnat, readFirewallDnat } from './apply';
import { ARM_API_VERSION, parseFirewallDnatFile } from './arm-json';
import { diffFirewallDnat, formatFirewallDnatDiff, isEmptyDiff } from './diff';
import { edgeResourcesOf } from './edge-resources';
import type { FirewallDnatRules } from './firewall-dnat-rules';
import { isLoopbackHttpEndpoint, staticTokenCredential } from './local-arm';
import { firewallDnatFile } from './resource-id';
import { dnatRuleRows, formatDnatTable } from './rule-rows';

export interface EdgeCliOptions {
  /** Repository root: the committed files are read from `<rootDir>/clusters/<cluster>/azure/`. */
  rootDir: string;
  clusters: readonly ClusterSpec[];
  stdout?: (s: string) => void;
  /** Where errors go; defaults to process.stderr. */
  stderr?: (s: string) => void;
  /** Poll interval of the long-running PUT (tests shorten it; the SDK default is 2 s). */
  pollIntervalMs?: number;
}

/** Token handed to a loopback ARM stand-in; real ARM would reject it. */
export const LOCAL_ARM_TOKEN = 'aks-gitops-local-arm-token';

const USAGE = `usage: edge <command> --cluster <name> [--endpoint <url>]

commands:
  plan    print the committed DNAT rules of clusters/<name>/azure/firewall-dnat.json, and the
          other edge resources of the cluster (front-door.json); with --endpoint also what
          apply would change in those
  apply   compare them with Azure and PUT the rule collection group when they differ, then
          apply the other edge resources (create, update, and delete what aks-gitops owns)

options:
  --cluster <name>    cluster from the fleet
  --endpoint <url>    ARM endpoint (default https://management.azure.com). An
                      http://127.0.0.1:<port> endpoint gets a static test token instead of
                      DefaultAzureCredential.
`;

/**
 * `edge plan|apply --cluster <name>`. Works from the committed file, never from app sources: what
 * is applied is exactly what was reviewed. Exit codes: 0 done, 1 a config, file or Azure error
 * (printed without a stack), 2 bad usage.
 */
export async function runEdgeCli(argv: string[], opts: EdgeCliOptions): Promise<number> {
  const out = opts.stdout ?? ((s: string) => void process.stdout.write(s));
  const err = opts.stderr ?? ((s: string) => void process.stderr.write(s));
  const args = parseArgs(argv);
  if ('error' in args) {
    err(`${args.error}\n\n${USAGE}`);
    return 2;
  }
  if (args.command === 'help') {
    out(USAGE);
    return 0;
  }
  const cluster = opts.clusters.find((c) => c.name === args.cluster);
  if (!cluster) {
    err(`unknown cluster "${args.cluster}"; known: ${opts.clusters.map((c) => c.name).join(', ')}\n`);
    return 2;
  }
  if (args.endpoint !== undefined && !isLoopbackHttpEndpoint(args.endpoint) && !/^https:\/\/[^/]+/.test(args.endpoint)) {
    err(`--endpoint ${args.endpoint}: use https://..., or http:// only on 127.0.0.1, localhost or [::1]\n`);
    return 2;
  }

  try {
    const dnat = await loadCommitted(opts.rootDir, cluster);
    const extra = await Promise.all(edgeResourcesOf(cluster).map(async (r) => ({ resource: r, loaded: await r.load(opts.rootDir, cluster) })));
    if (args.command === 'plan') {
      out(header(dnat));
      out(formatDnatTable(dnat.group));
      for (const { resource, loaded } of extra) {
        out(`\n${resource.describe(loaded)}`);
        if (args.endpoint !== undefined) out(await withAzure(resource.title, 'plan', args.endpoint, opts, err, (arm) => resource.plan(loaded, arm)) ?? '');
      }
      return 0;
    }
    const code = await apply(dnat, args.endpoint, opts, out, err);
    if (code !== 0) return code;
    for (const { resource, loaded } of extra) {
      out(`\n${resource.describe(loaded)}`);
      const done = await withAzure(resource.title, 'apply', args.endpoint, opts, err, async (arm) => {
        await resource.apply(loaded, arm, out);
        return 'ok';
      });
      if (done === undefined) return 1;
    }
    return 0;
  } catch (e) {
    if (e instanceof ConfigErrors || ConfigError.is(e)) {
      err(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

async function apply(dnat: FirewallDnatRules, endpoint: string | undefined, opts: EdgeCliOptions, out: (s: string) => void, err: (s: string) => void): Promise<number> {
  out(header(dnat));
  let armOptions: ArmClientOptions;
  let phase = 'read';
  try {
    armOptions = { credential: await credentialFor(endpoint), endpoint, updateIntervalInMs: opts.pollIntervalMs };
    const actual = await readFirewallDnat(dnat.target, armOptions);
    const diff = diffFirewallDnat(dnat.group, actual);
    if (isEmptyDiff(diff)) {
      out(`No changes: Azure already has these ${diff.unchanged} rule(s).\n`);
      return 0;
    }
    out(`Changes (${diff.added.length} to add, ${diff.changed.length} to change, ${diff.removed.length} to remove, ${diff.unchanged} unchanged):\n`);
    for (const line of formatFirewallDnatDiff(diff)) out(`  ${line}\n`);
    phase = 'PUT';
    const result = await applyFirewallDnat(dnat.group, dnat.target, armOptions);
    const readBack = diffFirewallDnat(dnat.group, result);
    if (!isEmptyDiff(readBack)) {
      err(`Azure accepted the group but returns something else:\n${formatFirewallDnatDiff(readBack).map((l) => `  ${l}\n`).join('')}`);
      return 1;
    }
    out(`Applied: provisioningState ${result.provisioningState ?? 'unknown'}, ${dnatRuleRows(result).length} rule(s).\n`);
    return 0;
  } catch (e) {
    // Azure refusing, the network failing or no credential are operational problems, not bugs.
    const detail = isErrorWithStatus(e) ? `HTTP ${e.statusCode}${e.code ? ` ${e.code}` : ''}: ${e.message}` : (e as Error).message;
    err(`apply failed during ${phase} of ${dnat.resourceId}: ${detail}\n`);
    return 1;
  }
}

/** Runs one edge resource's Azure calls; Azure errors are printed (not thrown) and give undefined. */
async function withAzure(title: string, phase: string, endpoint: string | undefined, opts: EdgeCliOptions, err: (s: string) => void, fn: (arm: ArmClientOptions) => Promise<string>): Promise<string | undefined> {
  try {
    return await fn({ credential: await credentialFor(endpoint), endpoint, updateIntervalInMs: opts.pollIntervalMs });
  } catch (e) {
    const detail = isErrorWithStatus(e) ? `HTTP ${e.statusCode}${e.code ? ` ${e.code}` : ''}: ${e.message}` : (e as Error).message;
    err(`${phase} failed for ${title}: ${detail}\n`);
    return undefined;
  }
}

function header(dnat: FirewallDnatRules): string {
  const collections = (dnat.group.ruleCollections ?? []).map((c) => `${c.name} (priority ${c.priority})`).join(', ') || 'none';
  return [
    `Firewall DNAT for cluster ${dnat.cluster} (${firewallDnatFile(dnat.cluster)})`,
    `  resource    ${dnat.resourceId}`,
    `  api-version ${ARM_API_VERSION}`,
    `  group       ${dnat.target.name}, priority ${dnat.group.priority}; collections: ${collections}`,
    '',
    '',
  ].join('\n');
}

/** Reads the committed file and checks it still matches the cluster spec it was generated from. */
async function loadCommitted(rootDir: string, cluster: ClusterSpec): Promise<FirewallDnatRules> {
  const rel = firewallDnatFile(cluster.name);
  let text: string;
  try {
    text = await readFile(path.join(rootDir, rel), 'utf8');
  } catch (e) {
    throw new ConfigError({ cluster: cluster.name, field: '(file)', problem: `cannot read ${rel} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, fix: 'run npm run synth to generate it, and commit it' });
  }
  const dnat = parseFirewallDnatFile(text, rel);
  const stale = (field: string, problem: string) =>
    new ConfigError({ cluster: cluster.name, field, problem: `${rel} ${problem}`, fix: 'run npm run synth to regenerate it from the current cluster spec' });
  const t = dnat.target;
  const f = cluster.firewall;
  if (dnat.cluster !== cluster.name) throw stale('cluster', `belongs to cluster ${dnat.cluster}`);
  if (t.subscriptionId !== cluster.subscriptionId || t.resourceGroup !== f.resourceGroup || t.policyName !== f.policyName) {
    throw stale('firewall', `targets ${t.subscriptionId}/${t.resourceGroup}/${t.policyName}, the cluster spec says ${cluster.subscriptionId}/${f.resourceGroup}/${f.policyName}`);
  }
  if (dnat.group.priority !== f.ruleCollectionGroupPriority) {
    throw stale('firewall.ruleCollectionGroupPriority', `has priority ${dnat.group.priority}, the cluster spec says ${f.ruleCollectionGroupPriority}`);
  }
  for (const row of dnatRuleRows(dnat.group)) {
    const unknown = row.destinations.filter((d) => !cluster.network.firewallPublicIps.includes(d));
    if (unknown.length > 0) throw stale('network.firewallPublicIps', `rule ${row.name} uses ${unknown.join(', ')}, which is not a firewall public IP of the cluster`);
  }
  return dnat;
}

async function credentialFor(endpoint: string | undefined): Promise<TokenCredential> {
  if (endpoint !== undefined && isLoopbackHttpEndpoint(endpoint)) return staticTokenCredential(LOCAL_ARM_TOKEN);
  // Loaded lazily: plan and the loopback path never need MSAL.
  const { DefaultAzureCredential } = await import('@azure/identity');
  return new DefaultAzureCredential();
}

function isErrorWithStatus(e: unknown): e is Error & { statusCode: number; code?: string } {
  return e instanceof Error && typeof (e as { statusCode?: unknown }).statusCode === 'number';
}

type Args = { command: 'plan' | 'apply' | 'help'; cluster: string; endpoint?: string } | { error: string };

function parseArgs(argv: string[]): Args {
  const [command, ...rest] = argv;
  if (command === 'help' || command === '--help' || command === '-h') return { command: 'help', cluster: '' };
  if (command !== 'plan' && command !== 'apply') return { error: command ? `unknown command "${command}"` : 'missing command' };
  const flags = new Map<string, string>();
  for (let i = 0; i < rest.length; i++) {
    const m = /^--(cluster|endpoint)(?:=(.*))?$/.exec(rest[i]);
    if (!m) return { error: `unknown argument "${rest[i]}"` };
    const value = m[2] ?? rest[++i];
    if (value === undefined || value === '') return { error: `--${m[1]} needs a value` };
    if (flags.has(m[1])) return { error: `--${m[1]} given twice` };
    flags.set(m[1], value);
  }
  const cluster = flags.get('cluster');
  if (!cluster) return { error: '--cluster is required' };
  return { command, cluster, endpoint: flags.get('endpoint') };
}

import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { TokenCredential } from '@azure/identity';
import {
  type ClusterSpec,
  ConfigError,
  ConfigErrors,
  firewallPolicyKey,
  parseFirewallPolicyId,
} from '@aks-gitops/cluster-model';
import {
  AcceptedButUnconfirmedError,
  type ArmClientOptions,
  applyFirewallDnat,
  deleteRuleCollectionGroup,
  listRuleCollectionGroups,
  readFirewallDnat,
} from './apply';
import { parseFirewallDnatFile } from './arm-json';
import type { RetryOptions } from './arm-retry';
import { diffFirewallDnat, formatFirewallDnatDiff, isEmptyDiff } from './diff';
import { type EdgeResource, edgeResourcesOf } from './edge-resources';
import type { FirewallDnatRules } from './firewall-dnat-rules';
import { isLoopbackHttpEndpoint, staticTokenCredential } from './local-arm';
import { compareStrings, dnatGroupName } from './names';
import { type ClusterPlan, planJson, planMarkdown, planText } from './plan-report';
import { type FrontDoorPlan, orphanedProfilesText } from './front-door/front-door-plan-report';
import {
  type ProfileCandidate,
  ProfileChangedError,
  deleteFrontDoorProfile,
  frontDoorSubscriptions,
  scanFrontDoorProfiles,
} from './front-door/front-door-prune';
import { classifyGroups } from './prune';
import { firewallDnatFile, firewallPolicyResourceId } from './resource-id';
import { dnatRuleRows, formatDnatTable } from './rule-rows';

export interface EdgeCliOptions {
  /** Repository root: the committed files are read from `<rootDir>/clusters/<cluster>/azure/`. */
  rootDir: string;
  clusters: readonly ClusterSpec[];
  stdout?: (s: string) => void;
  /** Where errors go; defaults to process.stderr. */
  stderr?: (s: string) => void;
  /** Poll interval of long-running operations (tests shorten it; the SDK default is 2 s). */
  pollIntervalMs?: number;
  /** Retry bounds for 409/429/5xx (tests pass a `sleep` that returns at once). */
  retry?: RetryOptions;
}

/** Token handed to a loopback ARM stand-in; real ARM would reject it. */
export const LOCAL_ARM_TOKEN = 'aks-gitops-local-arm-token';

const USAGE = `usage: edge <command> [options]

commands:
  plan    read each cluster's rule collection group from Azure (read-only) and print what apply
          would change; a group that does not exist yet is shown as created. Then, per cluster,
          its other edge resources (Front Door: clusters/<name>/azure/front-door.json), what
          apply would change in those, and the Front Door profiles left tagged for it that prune
          would delete
  apply   PUT each group that differs, with If-Match on the etag read (If-None-Match: * when
          creating); clusters sharing a Firewall Policy are written one after another. Then,
          for each cluster whose group succeeded, apply its other edge resources (create, update,
          and delete what aks-gitops owns)
  prune   list rule collection groups that aks-gitops created for clusters no longer in the fleet
          (name aks-gitops-<cluster>-dnat AND the aks-gitops marker on every rule), and Front Door
          profiles tagged aks-gitops-cluster=<cluster> that no cluster declares any more (frontDoor
          removed or moved) and that hold only gitops-* children; --yes deletes them

options:
  --cluster <name>    limit plan/apply to this cluster (repeatable; default: every cluster)
  --json              plan: machine-readable output (DNAT groups, then Front Door)
  --markdown          plan: a size-bounded summary for a pull-request comment (DNAT groups, then Front Door)
  --offline           plan: print the committed files only (DNAT rules, Front Door), without calling Azure
  --policy <id>       prune: also scan this Firewall Policy (repeatable; the fleet's policies are
                      always scanned)
  --subscription <id> prune: also scan this subscription's Front Door profiles (repeatable; every
                      cluster's subscription is always scanned)
  --yes               prune: delete the orphaned groups and profiles listed
  --endpoint <url>    ARM endpoint (default https://management.azure.com). An http://127.0.0.1:<port>
                      endpoint gets a static test token instead of DefaultAzureCredential.

exit codes: 0 done; 1 bad input, a stale committed file, or Azure refused or failed (a group changed
since it was read: HTTP 412); 2 bad usage
`;

type Out = (s: string) => void;

interface Extra {
  cluster: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- resources of every body type share one list
  resource: EdgeResource<any>;
  loaded: unknown;
}

/**
 * `edge plan|apply|prune`. Works from the committed files, never from app sources: what is applied
 * is exactly what was reviewed. Exit codes: 0 done, 1 a config, file or Azure error (printed without
 * a stack), 2 bad usage.
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
  const unknown = args.clusters.filter((c) => !opts.clusters.some((s) => s.name === c));
  if (unknown.length > 0) {
    err(`unknown cluster "${unknown[0]}"; known: ${opts.clusters.map((c) => c.name).join(', ')}\n`);
    return 2;
  }
  if (
    args.endpoint !== undefined &&
    !isLoopbackHttpEndpoint(args.endpoint) &&
    !/^https:\/\/[^/]+/.test(args.endpoint)
  ) {
    err(`--endpoint ${args.endpoint}: use https://..., or http:// only on 127.0.0.1, localhost or [::1]\n`);
    return 2;
  }
  const selected = [...opts.clusters]
    .filter((c) => args.clusters.length === 0 || args.clusters.includes(c.name))
    .sort((a, b) => compareStrings(a.name, b.name));

  try {
    if (args.command === 'prune') return await prune(args, opts, out, err);
    const committed: FirewallDnatRules[] = [];
    const extras: Extra[] = [];
    // Every committed file is read and checked before the first request to Azure.
    for (const cluster of selected) {
      committed.push(await loadCommitted(opts.rootDir, cluster));
      for (const resource of edgeResourcesOf(cluster))
        extras.push({ cluster: cluster.name, resource, loaded: await resource.load(opts.rootDir, cluster) });
    }
    if (args.command === 'plan' && args.offline) {
      for (const dnat of committed)
        out(
          `Firewall DNAT for cluster ${dnat.cluster} (${dnat.file})\n  resource ${dnat.resourceId}\n\n${formatDnatTable(dnat.group)}\n`,
        );
      for (const x of extras) out(x.resource.describe(x.loaded));
      return 0;
    }
    const arm = await armOptions(args.endpoint, opts, err);
    if (args.command === 'plan')
      return await planAll(committed, extras, selected, opts.clusters, args.format, arm, out, err);
    const failedClusters = await apply(committed, arm, out, err);
    // Edge resources go after the DNAT group, and only for clusters whose group is in place.
    for (const x of extras) {
      if (failedClusters.has(x.cluster)) {
        err(`${x.resource.title} of cluster ${x.cluster} not applied: its firewall DNAT group failed\n`);
        continue;
      }
      out(`\n${x.resource.describe(x.loaded)}`);
      const done = await withAzure(x.resource.title, 'apply', err, async () => {
        await x.resource.apply(x.loaded, arm, out);
        return 'ok';
      });
      if (done === undefined) failedClusters.add(x.cluster);
    }
    return failedClusters.size > 0 ? 1 : 0;
  } catch (e) {
    if (e instanceof ConfigErrors || ConfigError.is(e)) {
      err(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

/**
 * `plan`: the DNAT groups, then each cluster's Front Door (what apply would change in its profile),
 * then the Front Door profiles tagged for these clusters that no cluster declares any more (what
 * `prune --yes` deletes). Every format carries all three.
 */
async function planAll(
  committed: FirewallDnatRules[],
  extras: Extra[],
  selected: readonly ClusterSpec[],
  fleet: readonly ClusterSpec[],
  format: 'text' | 'json' | 'markdown',
  arm: ArmClientOptions,
  out: Out,
  err: Out,
): Promise<number> {
  const plans: ClusterPlan[] = [];
  for (const dnat of committed) {
    try {
      plans.push(await planOne(dnat, arm));
    } catch (e) {
      err(`plan failed for cluster ${dnat.cluster}: reading ${dnat.resourceId}: ${describeError(e)}\n`);
      return 1;
    }
  }
  const edge: Array<{ x: Extra; plan: FrontDoorPlan }> = [];
  for (const x of extras) {
    const p = await withAzure(x.resource.title, 'plan', err, () => x.resource.planData(x.loaded, arm));
    if (p === undefined) return 1;
    edge.push({ x, plan: p });
  }
  const orphans = await orphanedFrontDoorProfiles(selected, fleet, arm, err);
  const frontDoor = { plans: edge.map((e) => e.plan), orphans };
  if (format === 'json') out(planJson(plans, frontDoor));
  else if (format === 'markdown') out(planMarkdown(plans, undefined, frontDoor));
  else {
    out(planText(plans));
    for (const e of edge) out(`\n${e.x.resource.describe(e.x.loaded)}${e.x.resource.formatPlan(e.plan)}`);
    out(orphanedProfilesText(orphans));
  }
  return 0;
}

/**
 * Profiles tagged for the selected clusters that no cluster of the fleet declares (the cluster's
 * `frontDoor` was removed or moved). A subscription that cannot be listed is reported on stderr and
 * skipped: plan stays usable with rights on the profile's resource group only.
 */
async function orphanedFrontDoorProfiles(
  selected: readonly ClusterSpec[],
  fleet: readonly ClusterSpec[],
  arm: ArmClientOptions,
  err: Out,
): Promise<ProfileCandidate[]> {
  const names = new Set(selected.map((c) => c.name));
  const found: ProfileCandidate[] = [];
  for (const sub of frontDoorSubscriptions(selected)) {
    try {
      found.push(...(await scanFrontDoorProfiles(sub, fleet, arm, names)).filter((p) => p.verdict !== 'in-use'));
    } catch (e) {
      err(
        `warning: could not list the Front Door profiles of subscription ${sub} (${describeError(e)}); profiles left behind there are not shown (edge prune lists them)\n`,
      );
    }
  }
  return found;
}

async function planOne(dnat: FirewallDnatRules, arm: ArmClientOptions): Promise<ClusterPlan & { actualEtag?: string }> {
  const actual = await readFirewallDnat(dnat.target, arm);
  return {
    cluster: dnat.cluster,
    file: dnat.file,
    policyId: firewallPolicyResourceId(dnat.target),
    resourceId: dnat.resourceId,
    group: dnat.target.name,
    exists: actual !== undefined,
    etag: actual?.etag,
    diff: diffFirewallDnat(dnat.group, actual),
  };
}

/**
 * Applies cluster after cluster. Azure updates one rule collection group of a Firewall Policy at a
 * time and rejects concurrent writers (docs/azure-facts.md), so the clusters that share a policy are
 * written one after another, each waiting for its long-running operation, in this one process. Groups
 * are independent: a failure on one cluster does not stop the others; the exit code reports it.
 */
async function apply(committed: FirewallDnatRules[], arm: ArmClientOptions, out: Out, err: Out): Promise<Set<string>> {
  const byPolicy = new Map<string, FirewallDnatRules[]>();
  for (const dnat of committed) {
    const key = firewallPolicyKey(firewallPolicyResourceId(dnat.target));
    byPolicy.set(key, [...(byPolicy.get(key) ?? []), dnat]);
  }
  const failed = new Set<string>();
  for (const key of [...byPolicy.keys()].sort(compareStrings)) {
    const group = byPolicy.get(key) as FirewallDnatRules[];
    out(
      `Firewall Policy ${firewallPolicyResourceId(group[0].target)}: ${group.length} cluster(s), applied one after another\n\n`,
    );
    for (const dnat of group) if (!(await applyOne(dnat, arm, out, err))) failed.add(dnat.cluster);
  }
  if (failed.size > 0)
    err(
      `${failed.size} of ${committed.length} cluster(s) failed; nothing else was left half-done (each group is written in one PUT)\n`,
    );
  return failed;
}

async function applyOne(dnat: FirewallDnatRules, arm: ArmClientOptions, out: Out, err: Out): Promise<boolean> {
  let phase = 'read';
  try {
    const p = await planOne(dnat, arm);
    out(planText([p]));
    if (isEmptyDiff(p.diff)) return true;
    if (p.exists && !p.etag) {
      err(
        `apply refused for cluster ${dnat.cluster}: Azure returned ${dnat.resourceId} without an etag, so the write could not be made conditional; nothing was written\n`,
      );
      return false;
    }
    phase = 'PUT';
    const result = await applyFirewallDnat(
      dnat.group,
      dnat.target,
      arm,
      p.etag ? { ifMatch: p.etag } : { ifNoneMatch: '*' },
    );
    const readBack = diffFirewallDnat(dnat.group, result);
    if (!isEmptyDiff(readBack)) {
      err(
        `cluster ${dnat.cluster}: Azure accepted the group but returns something else:\n${formatFirewallDnatDiff(
          readBack,
        )
          .map((l) => `  ${l}\n`)
          .join('')}`,
      );
      return false;
    }
    out(
      `  Applied: provisioningState ${result.provisioningState ?? 'unknown'}, ${dnatRuleRows(result).length} rule(s).\n\n`,
    );
    return true;
  } catch (e) {
    if ((e as { statusCode?: number }).statusCode === 412) {
      err(
        `apply failed for cluster ${dnat.cluster}: ${dnat.resourceId} changed in Azure after it was read (HTTP 412 PreconditionFailed); nothing was written. Run npm run edge -- plan again, review, and re-apply\n`,
      );
      return false;
    }
    err(`apply failed for cluster ${dnat.cluster} during ${phase} of ${dnat.resourceId}: ${describeError(e)}\n`);
    return false;
  }
}

async function prune(
  args: Extract<Args, { command: 'prune' }>,
  opts: EdgeCliOptions,
  out: Out,
  err: Out,
): Promise<number> {
  // Which groups the fleet owns, per policy; clusters are taken from the spec, not from files.
  const owned = new Map<string, Set<string>>();
  const policies = new Map<string, string>();
  for (const c of opts.clusters) {
    const key = firewallPolicyKey(c.firewall.policyId);
    policies.set(key, policies.get(key) ?? c.firewall.policyId);
    owned.set(key, (owned.get(key) ?? new Set()).add(dnatGroupName(c.name)));
  }
  for (const id of args.policies) {
    if (!parseFirewallPolicyId(id)) {
      err(
        `--policy ${id}: not a Firewall Policy resource ID (/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Network/firewallPolicies/<name>)\n`,
      );
      return 2;
    }
    if (!policies.has(firewallPolicyKey(id))) policies.set(firewallPolicyKey(id), id);
  }
  for (const sub of args.subscriptions)
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(sub)) {
      err(`--subscription ${sub}: not a subscription ID (a GUID)\n`);
      return 2;
    }
  const arm = await armOptions(args.endpoint, opts, err);
  let failed = 0;
  let orphans = 0;
  for (const key of [...policies.keys()].sort(compareStrings)) {
    const policyId = policies.get(key) as string;
    const policy = parseFirewallPolicyId(policyId) as NonNullable<ReturnType<typeof parseFirewallPolicyId>>;
    let groups;
    try {
      groups = await listRuleCollectionGroups(policy, arm);
    } catch (e) {
      err(`prune failed listing the groups of ${policyId}: ${describeError(e)}\n`);
      failed++;
      continue;
    }
    const verdicts = classifyGroups(groups, owned.get(key) ?? new Set());
    out(`Firewall Policy ${policyId}: ${groups.length} rule collection group(s)\n`);
    for (const v of verdicts.filter((x) => x.verdict !== 'foreign')) {
      const label =
        v.verdict === 'orphaned' ? (args.yes ? 'delete' : 'would delete') : v.verdict === 'in-use' ? 'keep' : 'skip';
      out(`  ${label.padEnd(12)} ${v.name} (${v.rules} rule(s)): ${v.reason}\n`);
    }
    const foreign = verdicts.filter((x) => x.verdict === 'foreign').length;
    if (foreign > 0) out(`  ${foreign} other group(s) not created by aks-gitops, left alone\n`);
    for (const v of verdicts.filter((x) => x.verdict === 'orphaned')) {
      orphans++;
      if (!args.yes) continue;
      try {
        await deleteRuleCollectionGroup({ ...policy, name: v.name }, v.etag as string, arm);
        out(`  deleted      ${v.name}\n`);
      } catch (e) {
        failed++;
        if ((e as { statusCode?: number }).statusCode === 412) {
          err(
            `prune did not delete ${v.name}: it changed in Azure after it was listed (HTTP 412 PreconditionFailed). Run prune again to re-check it\n`,
          );
        } else {
          err(`prune failed deleting ${v.name}: ${describeError(e)}\n`);
        }
      }
    }
    out('\n');
  }
  const fd = await pruneFrontDoor(args, opts.clusters, arm, out, err);
  failed += fd.failed;
  if (!args.yes && orphans > 0) out(`${orphans} orphaned group(s). Run npm run edge -- prune --yes to delete them.\n`);
  if (orphans === 0) out('No orphaned groups.\n');
  if (!args.yes && fd.orphans > 0)
    out(`${fd.orphans} orphaned Front Door profile(s). Run npm run edge -- prune --yes to delete them.\n`);
  return failed > 0 ? 1 : 0;
}

/**
 * The Front Door half of prune: in every fleet cluster's subscription (and each --subscription), the
 * profiles tagged for a cluster that no cluster declares any more. Only subscriptions holding a
 * profile are printed. A profile is deleted only when everything in it is aks-gitops's
 * (front-door-prune.ts); ARM then deletes its children with it.
 */
async function pruneFrontDoor(
  args: Extract<Args, { command: 'prune' }>,
  fleet: readonly ClusterSpec[],
  arm: ArmClientOptions,
  out: Out,
  err: Out,
): Promise<{ orphans: number; failed: number }> {
  let orphans = 0;
  let failed = 0;
  for (const sub of frontDoorSubscriptions(fleet, args.subscriptions)) {
    let profiles: ProfileCandidate[];
    try {
      profiles = await scanFrontDoorProfiles(sub, fleet, arm);
    } catch (e) {
      err(`prune failed listing the Front Door profiles of subscription ${sub}: ${describeError(e)}\n`);
      failed++;
      continue;
    }
    if (profiles.length === 0) continue;
    out(`Front Door profiles in subscription ${sub}: ${profiles.length} profile(s)\n`);
    for (const p of profiles.filter((x) => x.verdict !== 'foreign')) {
      const label =
        p.verdict === 'orphaned' ? (args.yes ? 'delete' : 'would delete') : p.verdict === 'in-use' ? 'keep' : 'skip';
      out(`  ${label.padEnd(12)} ${p.resourceGroup}/${p.name}: ${p.reason}\n`);
    }
    const foreign = profiles.filter((x) => x.verdict === 'foreign').length;
    if (foreign > 0) out(`  ${foreign} other profile(s) not created by aks-gitops, left alone\n`);
    for (const p of profiles.filter((x) => x.verdict === 'orphaned')) {
      orphans++;
      if (!args.yes) continue;
      try {
        await deleteFrontDoorProfile(p, arm);
        out(`  deleted      ${p.resourceGroup}/${p.name} and everything in it\n`);
      } catch (e) {
        failed++;
        err(
          e instanceof ProfileChangedError
            ? `prune did not delete Front Door profile ${p.resourceId}: ${e.message}\n`
            : `prune failed deleting Front Door profile ${p.resourceId}: ${describeError(e)}\n`,
        );
      }
    }
    out('\n');
  }
  return { orphans, failed };
}

/** Runs one edge resource's Azure calls; Azure errors are printed (not thrown) and give undefined. */
async function withAzure<T>(title: string, phase: string, err: Out, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    err(`${phase} failed for ${title}: ${describeError(e)}\n`);
    return undefined;
  }
}

async function armOptions(endpoint: string | undefined, opts: EdgeCliOptions, err: Out): Promise<ArmClientOptions> {
  const retry: RetryOptions = {
    ...opts.retry,
    onRetry: (i) => {
      err(`  HTTP ${i.status}${i.code ? ` ${i.code}` : ''}: retrying in ${Math.round(i.delayMs / 1000)} s\n`);
      opts.retry?.onRetry?.(i);
    },
  };
  return { credential: await credentialFor(endpoint), endpoint, updateIntervalInMs: opts.pollIntervalMs, retry };
}

function describeError(e: unknown): string {
  if (e instanceof AcceptedButUnconfirmedError) return e.message;
  const s = e as { statusCode?: unknown; code?: string; message?: string };
  return typeof s.statusCode === 'number'
    ? `HTTP ${s.statusCode}${s.code ? ` ${s.code}` : ''}: ${s.message}`
    : String(s.message ?? e);
}

/** Reads the committed file and checks it still matches the cluster spec it was generated from. */
async function loadCommitted(rootDir: string, cluster: ClusterSpec): Promise<FirewallDnatRules> {
  const rel = firewallDnatFile(cluster.name);
  let text: string;
  try {
    text = await readFile(path.join(rootDir, rel), 'utf8');
  } catch (e) {
    throw new ConfigError({
      cluster: cluster.name,
      field: '(file)',
      problem: `cannot read ${rel} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      fix: 'run npm run synth to generate it, and commit it',
    });
  }
  const dnat = parseFirewallDnatFile(text, rel);
  const stale = (field: string, problem: string) =>
    new ConfigError({
      cluster: cluster.name,
      field,
      problem: `${rel} ${problem}`,
      fix: 'run npm run synth to regenerate it from the current cluster spec',
    });
  const f = cluster.firewall;
  if (dnat.cluster !== cluster.name) throw stale('cluster', `belongs to cluster ${dnat.cluster}`);
  const target = firewallPolicyResourceId(dnat.target);
  if (firewallPolicyKey(target) !== firewallPolicyKey(f.policyId)) {
    throw stale('firewall.policyId', `targets ${target}, the cluster spec says ${f.policyId}`);
  }
  if (dnat.group.priority !== f.ruleCollectionGroupPriority) {
    throw stale(
      'firewall.ruleCollectionGroupPriority',
      `has priority ${dnat.group.priority}, the cluster spec says ${f.ruleCollectionGroupPriority}`,
    );
  }
  for (const row of dnatRuleRows(dnat.group)) {
    const unknown = row.destinations.filter((d) => !cluster.network.firewallPublicIps.includes(d));
    if (unknown.length > 0)
      throw stale(
        'network.firewallPublicIps',
        `rule ${row.name} uses ${unknown.join(', ')}, which is not a firewall public IP of the cluster`,
      );
  }
  return dnat;
}

async function credentialFor(endpoint: string | undefined): Promise<TokenCredential> {
  if (endpoint !== undefined && isLoopbackHttpEndpoint(endpoint)) return staticTokenCredential(LOCAL_ARM_TOKEN);
  // Loaded lazily: plan --offline and the loopback path never need MSAL.
  const { DefaultAzureCredential } = await import('@azure/identity');
  return new DefaultAzureCredential();
}

type Args =
  | { command: 'help' }
  | { command: 'plan'; clusters: string[]; endpoint?: string; format: 'text' | 'json' | 'markdown'; offline: boolean }
  | { command: 'apply'; clusters: string[]; endpoint?: string }
  | {
      command: 'prune';
      clusters: string[];
      endpoint?: string;
      policies: string[];
      subscriptions: string[];
      yes: boolean;
    };

const FLAGS: Record<string, { value: boolean; commands: string[]; repeat?: boolean }> = {
  cluster: { value: true, commands: ['plan', 'apply'], repeat: true },
  endpoint: { value: true, commands: ['plan', 'apply', 'prune'] },
  json: { value: false, commands: ['plan'] },
  markdown: { value: false, commands: ['plan'] },
  offline: { value: false, commands: ['plan'] },
  policy: { value: true, commands: ['prune'], repeat: true },
  subscription: { value: true, commands: ['prune'], repeat: true },
  yes: { value: false, commands: ['prune'] },
};

function parseArgs(argv: string[]): Args | { error: string } {
  const [command, ...rest] = argv;
  if (command === 'help' || command === '--help' || command === '-h') return { command: 'help' };
  if (command !== 'plan' && command !== 'apply' && command !== 'prune')
    return { error: command ? `unknown command "${command}"` : 'missing command' };
  const values = new Map<string, string[]>();
  for (let i = 0; i < rest.length; i++) {
    const m = /^--([a-z]+)(?:=(.*))?$/.exec(rest[i]);
    const flag = m ? FLAGS[m[1]] : undefined;
    if (!m || !flag) return { error: `unknown argument "${rest[i]}"` };
    if (!flag.commands.includes(command)) return { error: `--${m[1]} does not apply to ${command}` };
    let value = 'true';
    if (flag.value) {
      const v = m[2] ?? rest[++i];
      if (v === undefined || v === '' || v.startsWith('--')) return { error: `--${m[1]} needs a value` };
      value = v;
    } else if (m[2] !== undefined) {
      return { error: `--${m[1]} takes no value` };
    }
    if (values.has(m[1]) && !flag.repeat) return { error: `--${m[1]} given twice` };
    values.set(m[1], [...(values.get(m[1]) ?? []), value]);
  }
  const clusters = values.get('cluster') ?? [];
  const endpoint = values.get('endpoint')?.[0];
  if (command === 'prune')
    return {
      command,
      clusters,
      endpoint,
      policies: values.get('policy') ?? [],
      subscriptions: values.get('subscription') ?? [],
      yes: values.has('yes'),
    };
  if (command === 'apply') return { command, clusters, endpoint };
  if (values.has('json') && values.has('markdown')) return { error: '--json and --markdown exclude each other' };
  if (values.has('offline') && (values.has('json') || values.has('markdown') || endpoint !== undefined))
    return { error: '--offline prints the committed table only; it takes no --json, --markdown or --endpoint' };
  return {
    command,
    clusters,
    endpoint,
    format: values.has('json') ? 'json' : values.has('markdown') ? 'markdown' : 'text',
    offline: values.has('offline'),
  };
}

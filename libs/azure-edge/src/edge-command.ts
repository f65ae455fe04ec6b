import { ConfigError, ConfigErrors, firewallPolicyKey } from '@aks-gitops/cluster-model';
import { type ArmClientOptions, applyFirewallDnat, readFirewallDnat } from './apply';
import { loadCommittedDnat } from './committed-dnat';
import { diffFirewallDnat, formatFirewallDnatDiff, isEmptyDiff } from './diff';
import { type EdgeArgs, type EdgeOptions, type Out, armOptions, describeError, withAzure } from './edge-session';
import { type EdgeResource, edgeResourcesOf } from './edge-resources';
import { pruneEdge } from './edge-prune';
import type { FirewallDnatRules } from './firewall-dnat-rules';
import { isLoopbackHttpEndpoint } from './local-arm';
import { compareStrings } from './names';
import { type ClusterPlan, planJson, planMarkdown, planText } from './plan-report';
import { firewallPolicyResourceId } from './resource-id';
import { dnatRuleRows, formatDnatTable } from './rule-rows';

interface Extra {
  cluster: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- resources of every body type share one list
  resource: EdgeResource<any>;
  loaded: unknown;
}

/**
 * `edge plan|apply|prune` with its options already parsed (the aks-gitops CLI parses the command
 * line). Works from the committed files, never from app sources: what is applied is exactly what was
 * reviewed. Exit codes: 0 done, 1 a config, file or Azure error (printed without a stack), 2 an
 * option value that names no cluster or a bad endpoint.
 */
export async function runEdge(args: EdgeArgs, opts: EdgeOptions): Promise<number> {
  const out = opts.stdout ?? ((s: string) => void process.stdout.write(s));
  const err = opts.stderr ?? ((s: string) => void process.stderr.write(s));
  const clusters = args.command === 'prune' ? [] : (args.clusters ?? []);
  const unknown = clusters.filter((c) => !opts.clusters.some((s) => s.name === c));
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
    .filter((c) => clusters.length === 0 || clusters.includes(c.name))
    .sort((a, b) => compareStrings(a.name, b.name));

  try {
    if (args.command === 'prune') return await pruneEdge(args, opts, out, err);
    const committed: FirewallDnatRules[] = [];
    const extras: Extra[] = [];
    // Every committed file is read and checked before the first request to Azure.
    for (const cluster of selected) {
      committed.push(await loadCommittedDnat(opts.rootDir, cluster));
      for (const resource of edgeResourcesOf(cluster))
        extras.push({ cluster: cluster.name, resource, loaded: await resource.load(opts.rootDir, cluster) });
    }
    if (args.command === 'plan' && args.offline === true) {
      for (const dnat of committed)
        out(
          `Firewall DNAT for cluster ${dnat.cluster} (${dnat.file})\n  resource ${dnat.resourceId}\n\n${formatDnatTable(dnat.group)}\n`,
        );
      for (const x of extras) out(x.resource.describe(x.loaded));
      return 0;
    }
    const arm = await armOptions(args.endpoint, opts, err);
    if (args.command === 'plan') {
      const format = args.format ?? 'text';
      const code = await plan(committed, format, arm, out, err);
      if (code !== 0 || format !== 'text') return code;
      for (const x of extras) {
        out(`\n${x.resource.describe(x.loaded)}`);
        const changes = await withAzure(x.resource.title, 'plan', err, () => x.resource.plan(x.loaded, arm));
        if (changes === undefined) return 1;
        out(changes);
      }
      return 0;
    }
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

async function plan(
  committed: FirewallDnatRules[],
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
  out(format === 'json' ? planJson(plans) : format === 'markdown' ? planMarkdown(plans) : planText(plans));
  return 0;
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

import { firewallPolicyKey, parseFirewallPolicyId } from '@aks-gitops/cluster-model';
import { deleteRuleCollectionGroup, listRuleCollectionGroups } from './apply';
import { type EdgeArgs, type EdgeOptions, type Out, armOptions, describeError } from './edge-session';
import { compareStrings, dnatGroupName } from './names';
import { classifyGroups } from './prune';

/**
 * `edge prune`: lists the rule collection groups aks-gitops created for clusters no longer on a
 * policy (name pattern and marker on every rule, see prune.ts) and, with `yes`, deletes them with
 * If-Match on the etag listed. Exit code 0 done, 1 a listing or delete failed, 2 a bad `--policy`.
 */
export async function pruneEdge(
  args: Extract<EdgeArgs, { command: 'prune' }>,
  opts: EdgeOptions,
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
  for (const id of args.policies ?? []) {
    if (!parseFirewallPolicyId(id)) {
      err(
        `--policy ${id}: not a Firewall Policy resource ID (/subscriptions/<guid>/resourceGroups/<rg>/providers/Microsoft.Network/firewallPolicies/<name>)\n`,
      );
      return 2;
    }
    if (!policies.has(firewallPolicyKey(id))) policies.set(firewallPolicyKey(id), id);
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
  if (!args.yes && orphans > 0) out(`${orphans} orphaned group(s). Run npm run edge -- prune --yes to delete them.\n`);
  if (orphans === 0) out('No orphaned groups.\n');
  return failed > 0 ? 1 : 0;
}

import type { ClusterSpec } from '@aks-gitops/cluster-model';
import type { ArmClientOptions } from '../apply';
import { type EdgeArgs, type Out, describeError } from '../edge-session';
import {
  type ProfileCandidate,
  ProfileChangedError,
  deleteFrontDoorProfile,
  frontDoorSubscriptions,
  scanFrontDoorProfiles,
} from './front-door-prune';

/**
 * `plan`: profiles tagged for the selected clusters that no cluster of the fleet declares (the
 * cluster's `frontDoor` was removed or moved). A subscription that cannot be listed is reported on
 * stderr and skipped: plan stays usable with rights on the profile's resource group only.
 */
export async function orphanedFrontDoorProfiles(
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

/**
 * The Front Door half of `prune`: in every fleet cluster's subscription (and each --subscription),
 * the profiles tagged for a cluster that no cluster declares any more. Only subscriptions holding a
 * profile are printed. A profile is deleted only when everything in it is aks-gitops's
 * (front-door-prune.ts); ARM then deletes its children with it.
 */
export async function pruneFrontDoor(
  args: Extract<EdgeArgs, { command: 'prune' }>,
  fleet: readonly ClusterSpec[],
  arm: ArmClientOptions,
  out: Out,
  err: Out,
): Promise<{ orphans: number; failed: number }> {
  let orphans = 0;
  let failed = 0;
  for (const sub of frontDoorSubscriptions(fleet, args.subscriptions ?? [])) {
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

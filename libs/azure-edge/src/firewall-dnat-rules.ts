import type { FirewallPolicyNatRuleCollection, FirewallPolicyRuleCollectionGroup, NatRule } from '@azure/arm-network';
import {
  type ClusterSpec,
  ConfigError,
  ConfigErrors,
  FIREWALL_POLICY_ID_TEMPLATE,
  firewallPolicyIdProblem,
  parseFirewallPolicyId,
} from '@aks-gitops/cluster-model';
import { natRulesOf } from './arm-models';
import {
  DNAT_COLLECTION_NAME,
  DNAT_COLLECTION_PRIORITY,
  compareStrings,
  dnatGroupName,
  dnatRuleMarker,
  dnatRuleName,
} from './names';
import type { PublicL4Endpoint } from './public-l4-endpoint';
import { type FirewallDnatTarget, firewallDnatFile, firewallDnatResourceId } from './resource-id';
import { validateEndpoints } from './dnat-endpoint-validation';
import { normalizeSourceAddresses } from './source-addresses';

export { endpointField } from './dnat-endpoint-validation';

/**
 * One cluster's Azure Firewall DNAT rules, as a typed `FirewallPolicyRuleCollectionGroup`.
 *
 * Layout: one group per cluster (`aks-gitops-<cluster>-dnat`, priority from the cluster spec) holding
 * ONE NAT collection (`l4-dnat`, priority 1000) with one rule per public port and protocol, sorted by
 * rule name. A collection per app would need a priority per app; deriving it from the sorted app list
 * renumbers every app after an insertion (noisy diffs, and an ARM update touching unrelated apps),
 * and hashing names into 100..65000 can collide. Priority between our rules never matters anyway:
 * `build` refuses two rules on the same firewall IP, port and protocol, so at most one can match a
 * packet. Adding an app therefore only inserts its own rules.
 */
export class FirewallDnatRules {
  constructor(
    /** Cluster name. */
    readonly cluster: string,
    readonly target: FirewallDnatTarget,
    readonly group: FirewallPolicyRuleCollectionGroup,
    /** The endpoint behind each rule, by rule name; empty when read back from a file. */
    readonly origins: ReadonlyMap<string, PublicL4Endpoint> = new Map(),
  ) {}

  /**
   * Validates every endpoint against the cluster and against each other, then builds the group.
   * Throws a ConfigError (or ConfigErrors with all problems) naming cluster, app and field.
   * Output depends only on the set of endpoints, never on their order. Zero endpoints give a group
   * with no collections, which is still written and applied so that removing the last public
   * service removes its rule.
   */
  static build(cluster: ClusterSpec, endpoints: readonly PublicL4Endpoint[]): FirewallDnatRules {
    const sorted = [...endpoints].sort(compareEndpoints);
    const errors = validateEndpoints(cluster, sorted);
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new ConfigErrors(errors);

    const origins = new Map<string, PublicL4Endpoint>();
    const rules = sorted
      .map((e) => {
        const rule = toNatRule(cluster.name, e);
        origins.set(rule.name as string, e);
        return rule;
      })
      .sort((a, b) => compareStrings(a.name as string, b.name as string));

    const name = dnatGroupName(cluster.name);
    const collection: FirewallPolicyNatRuleCollection = {
      ruleCollectionType: 'FirewallPolicyNatRuleCollection',
      name: DNAT_COLLECTION_NAME,
      priority: DNAT_COLLECTION_PRIORITY,
      action: { type: 'DNAT' },
      rules,
    };
    const group: FirewallPolicyRuleCollectionGroup = {
      name,
      priority: cluster.firewall.ruleCollectionGroupPriority,
      ruleCollections: rules.length > 0 ? [collection] : [],
    };
    const policy = parseFirewallPolicyId(cluster.firewall.policyId);
    if (!policy) {
      throw new ConfigError({
        cluster: cluster.name,
        field: 'firewall.policyId',
        problem: firewallPolicyIdProblem(cluster.firewall.policyId) as string,
        fix: `use ${FIREWALL_POLICY_ID_TEMPLATE}`,
      });
    }
    // The policy's own subscription (the hub's in hub-and-spoke), never the cluster's.
    const target: FirewallDnatTarget = { ...policy, name };
    return new FirewallDnatRules(cluster.name, target, group, origins);
  }

  /** `/subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.Network/firewallPolicies/<policy>/ruleCollectionGroups/<name>` */
  get resourceId(): string {
    return firewallDnatResourceId(this.target);
  }

  /** `clusters/<cluster>/azure/firewall-dnat.json` */
  get file(): string {
    return firewallDnatFile(this.cluster);
  }

  get rules(): NatRule[] {
    return natRulesOf(this.group).map((r) => r.rule);
  }
}

function toNatRule(cluster: string, e: PublicL4Endpoint): NatRule {
  return {
    ruleType: 'NatRule',
    name: dnatRuleName(e.app, e.service, e.portName, e.protocol),
    // Shown in the portal next to the rule: says where it comes from and that git owns it. Its
    // prefix is also the marker `edge prune` requires before deleting a group (names.ts).
    description: `${dnatRuleMarker(cluster)}app ${e.app}, Service ${e.namespace}/${e.service} port ${e.portName}`,
    ipProtocols: [e.protocol],
    sourceAddresses: normalizeSourceAddresses(e.sourceAddresses),
    destinationAddresses: [e.firewallPublicIp],
    destinationPorts: [String(e.firewallPort)],
    translatedAddress: e.ilbIp,
    translatedPort: String(e.servicePort),
  };
}

function compareEndpoints(a: PublicL4Endpoint, b: PublicL4Endpoint): number {
  const key = (e: PublicL4Endpoint) =>
    [
      e.app,
      e.namespace,
      e.service,
      e.portName,
      e.protocol,
      e.firewallPublicIp,
      e.firewallPort,
      e.ilbIp,
      e.servicePort,
    ].map(String);
  const ka = key(a);
  const kb = key(b);
  for (let i = 0; i < ka.length; i++) {
    const c = compareStrings(ka[i], kb[i]);
    if (c !== 0) return c;
  }
  return compareStrings(JSON.stringify(a.sourceAddresses), JSON.stringify(b.sourceAddresses));
}

import type { FirewallPolicyNatRuleCollection, FirewallPolicyRuleCollectionGroup, NatRule } from '@azure/arm-network';
import {
  type ClusterSpec,
  ConfigError,
  ConfigErrors,
  FIREWALL_POLICY_ID_TEMPLATE,
  cidrContainsIp,
  firewallPolicyIdProblem,
  dnsLabelProblem,
  intRangeProblem,
  isAzureReservedInSubnet,
  oneOfProblem,
  parseCidr,
  parseFirewallPolicyId,
  parseIpv4,
  portProblem,
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
import { normalizeSourceAddresses, sourceAddressProblems } from './source-addresses';

const PROTOCOLS = ['TCP', 'UDP'] as const;

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

/** How errors point at one endpoint: `endpoints[<namespace>/<service>/<portName>/<protocol>].<field>`. */
export function endpointField(e: PublicL4Endpoint, field: string): string {
  return `endpoints[${e.namespace}/${e.service}/${e.portName}/${e.protocol}].${field}`;
}

function describe(e: PublicL4Endpoint): string {
  return `app ${e.app} (Service ${e.namespace}/${e.service} port ${e.portName})`;
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

function validateEndpoints(cluster: ClusterSpec, endpoints: readonly PublicL4Endpoint[]): ConfigError[] {
  const errors: ConfigError[] = [];
  const clusterName = cluster.name;
  const priority = intRangeProblem(cluster.firewall?.ruleCollectionGroupPriority, 100, 65000);
  if (priority) {
    errors.push(
      new ConfigError({
        cluster: clusterName,
        field: 'firewall.ruleCollectionGroupPriority',
        problem: priority,
        fix: 'Azure accepts rule collection group priorities from 100 to 65000',
      }),
    );
  }
  const publicIps = cluster.network?.firewallPublicIps ?? [];
  const ilbSubnet = parseCidr(cluster.network?.internalLoadBalancerSubnet?.cidr);

  for (const e of endpoints) {
    const fail = (field: string, problem: string, fix: string) =>
      errors.push(new ConfigError({ cluster: clusterName, app: e.app, field: endpointField(e, field), problem, fix }));
    const check = (field: string, problem: string | undefined, fix: string) => problem && fail(field, problem, fix);

    check('app', dnsLabelProblem(e.app), 'name the app with a DNS label');
    check('namespace', dnsLabelProblem(e.namespace), 'use the namespace of the Service');
    check('service', dnsLabelProblem(e.service), 'use the Service name');
    check(
      'portName',
      ianaServiceNameProblem(e.portName),
      'name the Service port: at most 15 lowercase letters, digits and single dashes, with at least one letter',
    );
    check(
      'protocol',
      oneOfProblem(e.protocol, PROTOCOLS),
      'Azure Firewall DNAT publishes TCP or UDP ports; list a port once per protocol',
    );
    check('firewallPort', portProblem(e.firewallPort), 'pick the public port clients connect to, 1-65535');
    check(
      'servicePort',
      portProblem(e.servicePort),
      'use the Service port the internal load balancer listens on, 1-65535',
    );

    if (!publicIps.includes(e.firewallPublicIp)) {
      fail(
        'firewallPublicIp',
        `${JSON.stringify(e.firewallPublicIp)} is not a public IP of this cluster's firewall (network.firewallPublicIps: ${publicIps.join(', ') || 'none'})`,
        'use one of network.firewallPublicIps, or add the address to the cluster spec once it is attached to the firewall',
      );
    }

    const ilb = parseIpv4(e.ilbIp);
    if (ilb === undefined) {
      fail(
        'ilbIp',
        `${JSON.stringify(e.ilbIp)} is not an IPv4 address`,
        'use the static private IP of the internal load balancer',
      );
    } else if (ilbSubnet && !cidrContainsIp(ilbSubnet, ilb)) {
      fail(
        'ilbIp',
        `${e.ilbIp} is outside the internal load balancer subnet ${ilbSubnet.text}`,
        `pick a free address in ${ilbSubnet.text} (network.internalLoadBalancerSubnet)`,
      );
    } else if (ilbSubnet && isAzureReservedInSubnet(ilbSubnet, ilb)) {
      fail(
        'ilbIp',
        `${e.ilbIp} is reserved by Azure in ${ilbSubnet.text} (first four and last address)`,
        `pick another free address in ${ilbSubnet.text}`,
      );
    }

    for (const p of sourceAddressProblems(e.sourceAddresses)) {
      fail(p.index === undefined ? 'sourceAddresses' : `sourceAddresses[${p.index}]`, p.problem, p.fix);
    }
  }

  // A firewall IP, port and protocol can DNAT to one backend only: a second rule would never match.
  const owners = new Map<string, PublicL4Endpoint>();
  for (const e of endpoints) {
    const key = `${e.firewallPublicIp}:${e.firewallPort}/${e.protocol}`;
    const first = owners.get(key);
    if (!first) {
      owners.set(key, e);
      continue;
    }
    errors.push(
      new ConfigError({
        cluster: clusterName,
        app: e.app,
        field: endpointField(e, 'firewallPort'),
        problem: `${key} is wanted by both ${describe(first)} and ${describe(e)}; a firewall IP, port and protocol can forward to only one service`,
        fix: `give app ${e.app} or app ${first.app} another firewallPort, or another address from network.firewallPublicIps`,
      }),
    );
  }

  // Rule names join DNS labels with '-', so different endpoints can collide (app "a-b" + service "c"
  // and app "a" + service "b-c"); Azure would keep only one of them.
  const byName = new Map<string, PublicL4Endpoint>();
  for (const e of endpoints) {
    if (typeof e.protocol !== 'string') continue;
    const name = dnatRuleName(String(e.app), String(e.service), String(e.portName), e.protocol);
    const first = byName.get(name);
    if (!first) {
      byName.set(name, e);
      continue;
    }
    const sameKey = first.firewallPublicIp === e.firewallPublicIp && first.firewallPort === e.firewallPort;
    if (sameKey) continue; // already reported above as a port conflict
    errors.push(
      new ConfigError({
        cluster: clusterName,
        app: e.app,
        field: endpointField(e, 'portName'),
        problem: `rule name "${name}" is produced by both ${describe(first)} and ${describe(e)}`,
        fix: 'publish each Service port once per protocol, or rename the Service or port so <app>-<service>-<portName> is unique',
      }),
    );
  }
  return errors;
}

/** Kubernetes port names are IANA service names (IANA_SVC_NAME in apimachinery validation). */
function ianaServiceNameProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0)
    return `must be a non-empty string, got ${JSON.stringify(value)}`;
  if (value.length > 15) return `"${value}" is ${value.length} characters, longer than 15`;
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(value) || value.includes('--') || !/[a-z]/.test(value)) {
    return `"${value}" is not an IANA service name`;
  }
  return undefined;
}

/**
 * Checks rules of several clusters together. Public IPs are unique Azure-wide, so the same firewall
 * IP, port and protocol in two clusters' groups is always a clash: the group with the lower priority
 * number wins and the other rule silently never matches.
 */
export function assertNoCrossClusterDnatConflicts(all: readonly FirewallDnatRules[]): void {
  const errors: ConfigError[] = [];
  const owners = new Map<string, { dnat: FirewallDnatRules; rule: NatRule }>();
  const sorted = [...all].sort((a, b) => compareStrings(a.cluster, b.cluster));
  for (const dnat of sorted) {
    for (const rule of dnat.rules) {
      for (const address of rule.destinationAddresses ?? []) {
        for (const port of rule.destinationPorts ?? []) {
          for (const protocol of rule.ipProtocols ?? []) {
            const key = `${address}:${port}/${protocol}`;
            const first = owners.get(key);
            if (!first) {
              owners.set(key, { dnat, rule });
              continue;
            }
            if (first.dnat === dnat) continue; // same cluster: build() already rejects it
            const origin = dnat.origins.get(rule.name as string);
            const firstOrigin = first.dnat.origins.get(first.rule.name as string);
            errors.push(
              new ConfigError({
                cluster: dnat.cluster,
                app: origin?.app,
                field: origin ? endpointField(origin, 'firewallPort') : `rules.${rule.name}`,
                problem: `${key} is published by cluster ${first.dnat.cluster} (${firstOrigin ? describe(firstOrigin) : `rule ${first.rule.name}`}) and by cluster ${dnat.cluster} (${origin ? describe(origin) : `rule ${rule.name}`})`,
                fix: 'give one of them another firewallPort, or another firewall public IP',
              }),
            );
          }
        }
      }
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new ConfigErrors(errors);
}

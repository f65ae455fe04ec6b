import {
  type ClusterSpec,
  ConfigError,
  cidrContainsIp,
  dnsLabelProblem,
  intRangeProblem,
  isAzureReservedInSubnet,
  oneOfProblem,
  parseCidr,
  parseIpv4,
  portProblem,
} from '@aks-gitops/cluster-model';
import { dnatRuleName } from './names';
import type { PublicL4Endpoint } from './public-l4-endpoint';
import { sourceAddressProblems } from './source-addresses';

/*
 * Validation of one cluster's public L4 endpoints before they become DNAT rules: each endpoint's
 * fields against the cluster spec, then conflicts between endpoints (one backend per firewall IP,
 * port and protocol; unique rule names). Every problem is a ConfigError naming cluster, app, field.
 */

const PROTOCOLS = ['TCP', 'UDP'] as const;

/** How errors point at one endpoint: `endpoints[<namespace>/<service>/<portName>/<protocol>].<field>`. */
export function endpointField(e: PublicL4Endpoint, field: string): string {
  return `endpoints[${e.namespace}/${e.service}/${e.portName}/${e.protocol}].${field}`;
}

export function describeEndpoint(e: PublicL4Endpoint): string {
  return `app ${e.app} (Service ${e.namespace}/${e.service} port ${e.portName})`;
}

export function validateEndpoints(cluster: ClusterSpec, endpoints: readonly PublicL4Endpoint[]): ConfigError[] {
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
        problem: `${key} is wanted by both ${describeEndpoint(first)} and ${describeEndpoint(e)}; a firewall IP, port and protocol can forward to only one service`,
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
        problem: `rule name "${name}" is produced by both ${describeEndpoint(first)} and ${describeEndpoint(e)}`,
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

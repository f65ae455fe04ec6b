import type { ClusterSpec } from './cluster-spec';
import { ConfigError } from './config-error';
import { cidrContainsCidr, cidrContainsIp, cidrsOverlap, isAzureReservedInSubnet, parseCidr, parseIpv4 } from './ipv4';
import { DEDICATED_FRONTEND, type SharedFrontendSpec } from './topology-spec';
import { validateFrontDoor } from './validate-front-door';
import { dnsLabelProblem, guidProblem } from './validators';
import { AZURE_NAME } from './azure-resource-ids';

/**
 * Checks the topology part of a cluster spec: shared internal frontends, the app-to-frontend map
 * and Front Door. Each problem names the cluster and field, like validateCluster.
 */
export function validateTopology(spec: ClusterSpec): ConfigError[] {
  const errors: ConfigError[] = [];
  const cluster = typeof spec?.name === 'string' ? spec.name : '<unnamed>';
  const fail = (field: string, problem: string, fix: string) =>
    errors.push(new ConfigError({ cluster, field, problem, fix }));
  const ilb = parseCidr(spec.network?.internalLoadBalancerSubnet?.cidr);
  const vnet = parseCidr(spec.network?.vnetCidr);
  const frontends = spec.sharedFrontends ?? [];
  if (!Array.isArray(frontends)) {
    fail('sharedFrontends', 'is not a list', 'write sharedFrontends: [{ name: "shared-l4", address: "10.x.y.z" }]');
    return errors;
  }
  const byName = new Map<string, SharedFrontendSpec>();
  const byAddress = new Map<string, string>();
  frontends.forEach((f, i) => {
    const field = `sharedFrontends[${i}]`;
    const nameProblem = dnsLabelProblem(f?.name, 40);
    if (nameProblem) fail(`${field}.name`, nameProblem, 'name it with a lowercase DNS label, e.g. "shared-l4"');
    else if (f.name === DEDICATED_FRONTEND)
      fail(
        `${field}.name`,
        `"${DEDICATED_FRONTEND}" is reserved: it means "the app's own frontend" in frontendAssignments`,
        'choose another name',
      );
    else if (byName.has(f.name))
      fail(`${field}.name`, `"${f.name}" is declared twice`, 'give every shared frontend its own name');
    else byName.set(f.name, f);
    const ip = parseIpv4(f?.address);
    if (ip === undefined) {
      fail(
        `${field}.address`,
        `${JSON.stringify(f?.address)} is not an IPv4 address`,
        'use a free static address of the ILB subnet',
      );
    } else if (ilb && !cidrContainsIp(ilb, ip)) {
      fail(
        `${field}.address`,
        `${f.address} is outside the ILB subnet ${ilb.text}`,
        `use an address inside ${ilb.text}`,
      );
    } else if (ilb && isAzureReservedInSubnet(ilb, ip)) {
      fail(
        `${field}.address`,
        `${f.address} is reserved by Azure in ${ilb.text} (the first four and the last address)`,
        'pick another address',
      );
    } else if (byAddress.has(f.address)) {
      fail(
        `${field}.address`,
        `${f.address} is already the address of shared frontend "${byAddress.get(f.address)}"`,
        'give every shared frontend its own address (services share one frontend by joining it)',
      );
    } else byAddress.set(f.address, f.name);
    const pl = f?.privateLink;
    if (pl) {
      if (typeof pl.name !== 'string' || !AZURE_NAME.test(pl.name) || pl.name.length > 80)
        fail(
          `${field}.privateLink.name`,
          `${JSON.stringify(pl.name)} is not a Private Link Service name`,
          'use 1-80 letters, digits, ".", "_" and "-"',
        );
      if (typeof pl.resourceGroup !== 'string' || !AZURE_NAME.test(pl.resourceGroup))
        fail(
          `${field}.privateLink.resourceGroup`,
          `${JSON.stringify(pl.resourceGroup)} is not a resource group name`,
          'name the resource group the PLS is created in (often the node resource group)',
        );
      if (pl.natSubnet) {
        const nat = parseCidr(pl.natSubnet.cidr);
        if (!nat)
          fail(
            `${field}.privateLink.natSubnet.cidr`,
            `${JSON.stringify(pl.natSubnet.cidr)} is not an IPv4 CIDR`,
            'write it as a network address, e.g. "10.20.6.0/28"',
          );
        else if (vnet && !cidrContainsCidr(vnet, nat))
          fail(
            `${field}.privateLink.natSubnet.cidr`,
            `${nat.text} is outside the VNet ${vnet.text}`,
            'cloud-provider-azure takes the PLS subnet from the cluster VNet',
          );
        else {
          const fw = parseCidr(spec.network?.firewallSubnetCidr);
          if (fw && cidrsOverlap(fw, nat))
            fail(
              `${field}.privateLink.natSubnet.cidr`,
              `${nat.text} overlaps the AzureFirewallSubnet`,
              'use a subnet of its own',
            );
        }
        if (typeof pl.natSubnet.name !== 'string' || !AZURE_NAME.test(pl.natSubnet.name))
          fail(
            `${field}.privateLink.natSubnet.name`,
            `${JSON.stringify(pl.natSubnet.name)} is not a subnet name`,
            'use the subnet name as it appears in the VNet',
          );
      }
      const gatewayJoins = spec.l7?.kind === 'gateway-api' && spec.l7.frontend === f.name;
      if (pl.owner === undefined && !gatewayJoins) {
        fail(
          `${field}.privateLink.owner`,
          'is not set and the in-cluster gateway does not join this frontend',
          'name the app whose Service creates and owns the Private Link Service, e.g. owner: "edge-proxy"',
        );
      } else if (pl.owner !== undefined && gatewayJoins) {
        fail(
          `${field}.privateLink.owner`,
          `is "${pl.owner}" but the in-cluster gateway joins this frontend and owns its Private Link Service`,
          'drop owner',
        );
      } else if (pl.owner !== undefined && dnsLabelProblem(pl.owner)) {
        fail(`${field}.privateLink.owner`, dnsLabelProblem(pl.owner) as string, 'name an app');
      }
      (pl.visibility ?? ([] as readonly string[])).forEach((v: string, j: number) => {
        if (v !== '*' && guidProblem(v))
          fail(
            `${field}.privateLink.visibility[${j}]`,
            `${JSON.stringify(v)} is not a subscription GUID or "*"`,
            'list subscription GUIDs, or "*"',
          );
      });
      (pl.autoApproval ?? ([] as readonly string[])).forEach((v: string, j: number) => {
        if (guidProblem(v))
          fail(
            `${field}.privateLink.autoApproval[${j}]`,
            `${JSON.stringify(v)} is not a subscription GUID`,
            'list subscription GUIDs',
          );
      });
      if (pl.autoApproval?.length && !(pl.visibility ?? []).includes('*')) {
        fail(
          `${field}.privateLink.autoApproval`,
          'is set but visibility is not "*"',
          'auto-approval only works with visibility ["*"] (cloud-provider-azure); set both or drop autoApproval',
        );
      }
    }
  });

  for (const [app, assigned] of Object.entries(spec.frontendAssignments ?? {})) {
    if (assigned !== DEDICATED_FRONTEND && !byName.has(assigned)) {
      fail(
        `frontendAssignments["${app}"]`,
        `names "${assigned}", which is not a shared frontend of this cluster`,
        `use one of ${[...byName.keys(), DEDICATED_FRONTEND].map((n) => `"${n}"`).join(', ')}`,
      );
    }
  }

  const l7 = spec.l7;
  if (l7?.kind === 'gateway-api' && l7.frontend !== undefined) {
    if (!byName.has(l7.frontend))
      fail(
        'l7.frontend',
        `names "${l7.frontend}", which is not a shared frontend of this cluster`,
        'declare it under sharedFrontends, or drop l7.frontend',
      );
    if (!l7.gatewayPodLabels)
      fail(
        'l7.frontend',
        `is set but the gateway class "${l7.gatewayClassName}" runs no gateway pods in the cluster (gatewayPodLabels is not set)`,
        'only an in-cluster gateway has a LoadBalancer Service that can join an internal frontend; drop l7.frontend',
      );
  }

  validateFrontDoor(spec, byName, fail);
  return errors;
}

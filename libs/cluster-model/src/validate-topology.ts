import type { ClusterSpec } from './cluster-spec';
import { ConfigError } from './config-error';
import { cidrContainsCidr, cidrContainsIp, cidrsOverlap, isAzureReservedInSubnet, parseCidr, parseIpv4 } from './ipv4';
import { DEDICATED_FRONTEND, type SharedFrontendSpec } from './topology-spec';
import { dnsLabelProblem, guidProblem } from './validators';

export const FRONT_DOOR_WAF_POLICY_ID =
  /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/frontDoorWebApplicationFirewallPolicies\/[A-Za-z][A-Za-z0-9]{0,127}$/i;
export const APPLICATION_GATEWAY_ID =
  /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/applicationGateways\/[^/]+$/i;
export const PRIVATE_LINK_SERVICE_ID =
  /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/privateLinkServices\/[^/]+$/i;
/** What Front Door's `CustomerCertificateParameters.secretSource` takes: the Key Vault secret's resource ID. */
const KEY_VAULT_SECRET_RESOURCE_ID =
  /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.KeyVault\/vaults\/[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]\/secrets\/[A-Za-z0-9-]{1,127}$/;
/** Microsoft.Cdn profile names: 1-260 characters, letters, digits and '-', starting and ending alphanumeric. */
const CDN_NAME = /^[a-zA-Z0-9]+(-*[a-zA-Z0-9])*$/;
const AZURE_NAME = /^[A-Za-z0-9][A-Za-z0-9._()-]{0,88}[A-Za-z0-9_)]$/;

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

  const fd = spec.frontDoor;
  if (fd) {
    if (typeof fd.resourceGroup !== 'string' || !AZURE_NAME.test(fd.resourceGroup))
      fail(
        'frontDoor.resourceGroup',
        `${JSON.stringify(fd.resourceGroup)} is not a resource group name`,
        'name the resource group of the Front Door profile',
      );
    if (typeof fd.profileName !== 'string' || fd.profileName.length > 260 || !CDN_NAME.test(fd.profileName))
      fail(
        'frontDoor.profileName',
        `${JSON.stringify(fd.profileName)} is not a Front Door profile name`,
        'use letters, digits and "-", starting and ending with a letter or digit',
      );
    if (typeof fd.wafPolicyId !== 'string' || !FRONT_DOOR_WAF_POLICY_ID.test(fd.wafPolicyId)) {
      fail(
        'frontDoor.wafPolicyId',
        `${JSON.stringify(fd.wafPolicyId)} is not a Front Door WAF policy resource ID`,
        'use /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/frontDoorWebApplicationFirewallPolicies/<name> (an App Gateway WAF policy cannot attach to Front Door)',
      );
    }
    if (
      fd.certificateSecretId !== undefined &&
      (typeof fd.certificateSecretId !== 'string' || !KEY_VAULT_SECRET_RESOURCE_ID.test(fd.certificateSecretId))
    ) {
      fail(
        'frontDoor.certificateSecretId',
        `${JSON.stringify(fd.certificateSecretId)} is not a Key Vault secret resource ID`,
        'use /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.KeyVault/vaults/<vault>/secrets/<certificate name> (Front Door follows its latest version)',
      );
    }
    const o = fd.origin;
    if (o?.kind === 'application-gateway') {
      if ((o.privateLinkServiceId === undefined) === (o.applicationGatewayId === undefined)) {
        fail(
          'frontDoor.origin',
          'names neither or both of privateLinkServiceId and applicationGatewayId',
          "name the App Gateway's Private Link target one way: privateLinkServiceId, or applicationGatewayId with frontendIpConfiguration",
        );
      } else if (o.privateLinkServiceId !== undefined) {
        if (typeof o.privateLinkServiceId !== 'string' || !PRIVATE_LINK_SERVICE_ID.test(o.privateLinkServiceId)) {
          fail(
            'frontDoor.origin.privateLinkServiceId',
            `${JSON.stringify(o.privateLinkServiceId)} is not a Private Link Service resource ID`,
            "use the ID of the Private Link Service that the App Gateway's Private Link configuration created (its VNet lists it under connected devices)",
          );
        }
        if (o.frontendIpConfiguration !== undefined)
          fail(
            'frontDoor.origin.frontendIpConfiguration',
            'is set with privateLinkServiceId',
            'drop it: the group ID goes only with applicationGatewayId',
          );
      } else {
        if (typeof o.applicationGatewayId !== 'string' || !APPLICATION_GATEWAY_ID.test(o.applicationGatewayId)) {
          fail(
            'frontDoor.origin.applicationGatewayId',
            `${JSON.stringify(o.applicationGatewayId)} is not an Application Gateway resource ID`,
            'use /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/applicationGateways/<name>',
          );
        }
        if (typeof o.frontendIpConfiguration !== 'string' || !AZURE_NAME.test(o.frontendIpConfiguration)) {
          fail(
            'frontDoor.origin.frontendIpConfiguration',
            `${JSON.stringify(o.frontendIpConfiguration)} is not a frontend IP configuration name`,
            'name the App Gateway frontend IP configuration that carries the Private Link configuration (az network application-gateway frontend-ip list)',
          );
        }
      }
      if (l7?.kind !== 'agic')
        fail(
          'frontDoor.origin.kind',
          `is "application-gateway" but the cluster's L7 provider is "${l7?.kind}"`,
          'use an agic cluster, or origin { kind: "shared-frontend", frontend: ... }',
        );
      else if (!l7.usePrivateIp)
        fail(
          'l7.usePrivateIp',
          'is not true, but Front Door reaches the App Gateway through the Private Link of its private frontend',
          'set l7.usePrivateIp: true so the Ingresses use the private frontend',
        );
    } else if (o?.kind === 'shared-frontend') {
      const f = byName.get(o.frontend);
      if (!f)
        fail(
          'frontDoor.origin.frontend',
          `names "${o.frontend}", which is not a shared frontend of this cluster`,
          'declare it under sharedFrontends with privateLink',
        );
      else if (!f.privateLink)
        fail(
          'frontDoor.origin.frontend',
          `"${o.frontend}" has no privateLink, and Front Door reaches private origins only through a Private Link Service`,
          `add privateLink: { name, resourceGroup } to sharedFrontends "${o.frontend}"`,
        );
    } else {
      fail(
        'frontDoor.origin.kind',
        `${JSON.stringify((o as { kind?: unknown } | undefined)?.kind)} is not an origin kind`,
        'use "application-gateway" or "shared-frontend"',
      );
    }
  }
  return errors;
}

import type { ClusterSpec } from './cluster-spec';
import type { SharedFrontendSpec } from './topology-spec';
import {
  APPLICATION_GATEWAY_ID,
  AZURE_NAME,
  CDN_NAME,
  FRONT_DOOR_WAF_POLICY_ID,
  KEY_VAULT_SECRET_RESOURCE_ID,
  PRIVATE_LINK_SERVICE_ID,
} from './azure-resource-ids';

/**
 * Checks a cluster's `frontDoor` block (Azure Front Door Premium in front of its L7 entry): names,
 * the Front Door WAF policy, the customer certificate and the private origin, which must be one
 * Front Door can reach through Private Link. Part of validateTopology; `byName` holds the cluster's
 * shared frontends.
 */
export function validateFrontDoor(
  spec: ClusterSpec,
  byName: ReadonlyMap<string, SharedFrontendSpec>,
  fail: (field: string, problem: string, fix: string) => void,
): void {
  const l7 = spec.l7;
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
    const names = fd.certificateDnsNames;
    if (fd.certificateSecretId !== undefined && (!Array.isArray(names) || names.length === 0)) {
      fail(
        'frontDoor.certificateDnsNames',
        'is not set, but certificateSecretId is: the hosts the certificate must cover cannot be checked',
        "list the certificate's DNS names, e.g. certificateDnsNames: ['*.contoso.com'] (or drop certificateSecretId for Front Door managed certificates)",
      );
    } else if (names !== undefined && fd.certificateSecretId === undefined) {
      fail(
        'frontDoor.certificateDnsNames',
        'is set without certificateSecretId',
        'drop it (Front Door managed certificates cover each custom domain), or name the certificate in certificateSecretId',
      );
    } else if (Array.isArray(names)) {
      names.forEach((n: unknown, i: number) => {
        if (typeof n !== 'string' || !/^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i.test(n))
          fail(
            `frontDoor.certificateDnsNames[${i}]`,
            `${JSON.stringify(n)} is not a DNS name or a single-label wildcard`,
            'write it as on the certificate, e.g. "orders.contoso.com" or "*.contoso.com"',
          );
      });
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
}

import { compareStrings } from '../names';
import {
  type FederatedCredentialRow,
  type PrerequisiteContext,
  type RoleAssignmentRow,
  WORKLOAD_IDENTITY_AUDIENCE,
} from './types';

/** `/subscriptions/<id>/resourceGroups/<rg>` of a resource ID (case kept), or undefined. */
function resourceGroupId(resourceId: string): string | undefined {
  return /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+/i.exec(resourceId)?.[0];
}

/**
 * Workload identity: one federated credential per ServiceAccount that uses it (and the gateway TLS
 * sync), and the role assignments those identities, the App Gateway and the ALB Controller need.
 */
export function identityRows(
  ctx: PrerequisiteContext,
  l7WafPolicyIds: readonly string[],
): { federatedCredentials: FederatedCredentialRow[]; roleAssignments: RoleAssignmentRow[] } {
  const { cluster, inputs, kvScope } = ctx;
  const l7 = cluster.l7;
  const issuer = cluster.oidcIssuerUrl;
  const issuerFill = issuer
    ? undefined
    : "issuer: the cluster's OIDC issuer URL (az aks show --query oidcIssuerProfile.issuerUrl); set oidcIssuerUrl in the cluster spec to have it written here";
  const federated: FederatedCredentialRow[] = [];
  const roles: RoleAssignmentRow[] = [];
  const fc = (clientId: string, namespace: string, sa: string, what: string): FederatedCredentialRow => ({
    clientId,
    ...(issuer ? { issuer } : {}),
    subject: `system:serviceaccount:${namespace}:${sa}`,
    audience: WORKLOAD_IDENTITY_AUDIENCE,
    for: what,
    ...(issuerFill ? { fillIn: issuerFill } : {}),
    source: 'WI, BASE',
  });
  const backendCa = l7.kind === 'gateway-api' ? l7.backendCa : undefined;
  for (const i of inputs.identities) {
    const what = i.clientId === backendCa?.clientId ? `backend CA sync of app ${i.app}` : `app ${i.app}`;
    federated.push(fc(i.clientId, i.namespace, i.serviceAccount, what));
    if (i.keyVaultSecrets)
      roles.push({
        principal: `identity ${i.clientId} (app ${i.app})`,
        role: 'Key Vault Secrets User',
        scope: kvScope,
        why: 'the Secrets Store CSI driver reads its keyVaultSecrets with this identity',
        source: 'CSI',
      });
  }
  const tlsSa = inputs.gatewayTlsServiceAccount;
  if (l7.kind === 'gateway-api' && tlsSa) {
    federated.push(
      fc(
        l7.tls.clientId,
        tlsSa.namespace,
        tlsSa.name,
        `gateway TLS sync of ${l7.gateway.namespace}/${l7.gateway.name}`,
      ),
    );
    roles.push({
      principal: `identity ${l7.tls.clientId} (gateway TLS sync)`,
      role: 'Key Vault Secrets User',
      scope: kvScope,
      why: `reads certificate ${l7.tls.certificateName} as a secret (objectType secret) to get its private key`,
      source: 'CSI',
    });
  }
  if (backendCa && inputs.identities.some((i) => i.clientId === backendCa.clientId)) {
    roles.push({
      principal: `identity ${backendCa.clientId} (backend CA sync)`,
      role: 'Key Vault Certificate User',
      scope: `certificate ${backendCa.certificateName} in ${kvScope}`,
      why: "the Secrets Store CSI driver reads the CA's public certificate (objectType cert) into each https API's namespace for AGC's BackendTLSPolicy verify",
      source: 'CSI-CERT, AGC-BTLS',
    });
  }
  if (l7.kind === 'agic') {
    roles.push({
      principal: "the Application Gateway's user-assigned identity",
      role: 'Key Vault Secrets User',
      scope: kvScope,
      why: `the gateway installs its listener certificate ${l7.sslCertificate} from Key Vault`,
      fillIn: 'principal: the identity assigned to the Application Gateway',
      source: 'AGW-KV',
    });
    roles.push({
      principal: 'the AGIC identity',
      role: 'as the AGIC installation guide requires for the Application Gateway and its resource group',
      scope: 'the Application Gateway',
      why: 'AGIC programs the gateway from Ingress objects',
      fillIn: 'role and principal: not confirmed in docs/azure-facts.md; follow the AGIC installation guide',
      source: 'UNCONFIRMED',
    });
  } else if (ctx.agc) {
    roles.push(...albControllerRoles(ctx, l7WafPolicyIds));
  }
  return {
    federatedCredentials: federated.sort((a, b) =>
      compareStrings(`${a.subject} ${a.clientId}`, `${b.subject} ${b.clientId}`),
    ),
    roleAssignments: roles.sort((a, b) =>
      compareStrings(`${a.scope} ${a.role} ${a.principal}`, `${b.scope} ${b.role} ${b.principal}`),
    ),
  };
}

/**
 * The ALB Controller's roles. Managed: it creates AGC in the node resource group and joins the
 * association subnet named in the spec. Bring-your-own: AGC lives in the resource group of
 * `l7.agc.resourceId`, which gets the configuration role; the association subnet is the IaC team's.
 */
function albControllerRoles(ctx: PrerequisiteContext, wafIds: readonly string[]): RoleAssignmentRow[] {
  const l7 = ctx.cluster.l7;
  const agc = l7.kind === 'gateway-api' ? l7.agc : undefined;
  const principal = 'the ALB Controller identity';
  const byo = agc?.deployment === 'bring-your-own';
  const agcGroup = byo ? resourceGroupId(agc.resourceId) : undefined;
  const subnetId = agc?.deployment === 'managed' ? agc.associationSubnetId : undefined;
  const rows: RoleAssignmentRow[] = [
    {
      principal,
      role: 'AppGw for Containers Configuration Manager',
      scope: byo
        ? `resource group ${agcGroup ?? '(of the Application Gateway for Containers)'}`
        : "the cluster's node resource group",
      why: byo
        ? `the ALB Controller programs Application Gateway for Containers ${agc.resourceId}`
        : 'the ALB Controller creates and programs Application Gateway for Containers',
      fillIn: byo
        ? 'principal: the ALB Controller identity'
        : 'principal: the ALB Controller identity; scope: the node resource group',
      source: byo ? 'AGC-BYO' : 'AGC-QS',
    },
    {
      principal,
      role: 'Network Contributor',
      scope: subnetId ?? `the association subnet ${ctx.cluster.network.l7SourceCidr}`,
      why: 'Microsoft.Network/virtualNetworks/subnets/join/action when associating AGC with the subnet',
      fillIn: subnetId
        ? 'principal: the ALB Controller identity'
        : 'principal: the ALB Controller identity; scope: the association subnet resource ID',
      source: byo ? 'AGC-BYO' : 'AGC-QS',
    },
  ];
  for (const w of wafIds)
    rows.push({
      principal,
      role: 'Network Contributor (for applicationGatewayWebApplicationFirewallPolicies/join/action)',
      scope: `WAF policy ${w}`,
      why: 'attaching the WAF policy to the AGC routes',
      fillIn: 'principal: the ALB Controller identity',
      source: 'AGC-WAF',
    });
  return rows;
}

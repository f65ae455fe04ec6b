/** Shapes of the Azure resource IDs and names a cluster spec holds. */

export const WAF_POLICY_ID =
  /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/ApplicationGatewayWebApplicationFirewallPolicies\/[^/]+$/i;
/** Names of Azure resources such as certificates and Application Gateways (1-80 characters in most providers' rules). */
export const AZURE_NAME = /^[A-Za-z0-9][A-Za-z0-9._()-]{0,88}[A-Za-z0-9_)]$/;
export const SUBNET_ID =
  /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/i;
export const AGC_RESOURCE_ID =
  /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.ServiceNetworking\/trafficControllers\/[^/]+$/i;
export const FRONT_DOOR_WAF_POLICY_ID =
  /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/frontDoorWebApplicationFirewallPolicies\/[A-Za-z][A-Za-z0-9]{0,127}$/i;
export const APPLICATION_GATEWAY_ID =
  /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/applicationGateways\/[^/]+$/i;
export const PRIVATE_LINK_SERVICE_ID =
  /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/privateLinkServices\/[^/]+$/i;
/** What Front Door's `CustomerCertificateParameters.secretSource` takes: the Key Vault secret's resource ID. */
export const KEY_VAULT_SECRET_RESOURCE_ID =
  /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.KeyVault\/vaults\/[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]\/secrets\/[A-Za-z0-9-]{1,127}$/;
/** Microsoft.Cdn profile names: 1-260 characters, letters, digits and '-', starting and ending alphanumeric. */
export const CDN_NAME = /^[a-zA-Z0-9]+(-*[a-zA-Z0-9])*$/;

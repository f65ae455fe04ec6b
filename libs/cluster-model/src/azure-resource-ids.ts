/** Shapes of the Azure resource IDs and names a cluster spec holds. */

export const WAF_POLICY_ID =
  /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/ApplicationGatewayWebApplicationFirewallPolicies\/[^/]+$/i;
/** Names of Azure resources such as certificates and Application Gateways (1-80 characters in most providers' rules). */
export const AZURE_NAME = /^[A-Za-z0-9][A-Za-z0-9._()-]{0,88}[A-Za-z0-9_)]$/;
export const SUBNET_ID =
  /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/i;
export const AGC_RESOURCE_ID =
  /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.ServiceNetworking\/trafficControllers\/[^/]+$/i;

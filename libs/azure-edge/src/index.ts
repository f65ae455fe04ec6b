export type { PublicL4Endpoint } from './public-l4-endpoint';
export { FirewallDnatRules, assertNoCrossClusterDnatConflicts, endpointField } from './firewall-dnat-rules';
export { ANY_SOURCE, normalizeSourceAddresses, sourceAddressProblems, type SourceAddressProblem } from './source-addresses';
export { AZURE_NAME_MAX, DNAT_COLLECTION_NAME, DNAT_COLLECTION_PRIORITY, dnatGroupName, dnatRuleName, fitAzureName } from './names';
export { type FirewallDnatTarget, firewallDnatFile, firewallDnatResourceId, parseFirewallDnatResourceId } from './resource-id';
export {
  ARM_API_VERSION,
  FIREWALL_DNAT_FILE_KIND,
  FIREWALL_DNAT_FILE_VERSION,
  type ArmNatRule,
  type ArmNatRuleCollection,
  type ArmRuleCollectionGroupBody,
  type FirewallDnatFile,
  parseFirewallDnatFile,
  toArmBody,
  toArmJson,
} from './arm-json';
export { isNatRule, isNatRuleCollection, natRulesOf, type NatRuleInCollection } from './arm-models';
export { type ArmClientOptions, applyFirewallDnat, readFirewallDnat } from './apply';
export { isLoopbackHttpEndpoint, loopbackHttpClient, staticTokenCredential } from './local-arm';
export { type DnatRuleChange, type FirewallDnatDiff, diffFirewallDnat, formatFirewallDnatDiff, isEmptyDiff } from './diff';
export { type DnatRuleRow, dnatRuleRows, formatDnatTable } from './rule-rows';
export { type EdgeCliOptions, LOCAL_ARM_TOKEN, runEdgeCli } from './cli';
export {
  CDN_API_VERSION,
  CHILD_PREFIX,
  FRONT_DOOR_APPLY_ORDER,
  FrontDoorConfig,
  type FrontDoorResource,
  type FrontDoorResourceKind,
  type FrontDoorRouteInput,
  type FrontDoorTarget,
  OWNER_TAG,
  frontDoorFile,
  hostSlug,
} from './front-door/front-door-config';
export { FRONT_DOOR_FILE_KIND, type FrontDoorFile, type ParsedFrontDoorFile, fromCdnArmBody, parseFrontDoorFile, toCdnArmBody, toFrontDoorJson } from './front-door/front-door-file';
export { type FrontDoorAction, type FrontDoorChange, FrontDoorOwnershipError, applyFrontDoor, isSubset, planFrontDoor } from './front-door/front-door-apply';

export type { PublicL4Endpoint } from './public-l4-endpoint';
export { FirewallDnatRules, endpointField } from './firewall-dnat-rules';
export { assertNoCrossClusterDnatConflicts } from './dnat-cross-cluster';
export {
  ANY_SOURCE,
  normalizeSourceAddresses,
  sourceAddressProblems,
  type SourceAddressProblem,
} from './source-addresses';
export {
  AZURE_NAME_MAX,
  DNAT_COLLECTION_NAME,
  DNAT_COLLECTION_PRIORITY,
  clusterOfDnatGroup,
  dnatGroupName,
  dnatRuleMarker,
  dnatRuleName,
  fitAzureName,
} from './names';
export {
  type FirewallDnatTarget,
  firewallDnatFile,
  firewallDnatResourceId,
  firewallPolicyResourceId,
  parseFirewallDnatResourceId,
} from './resource-id';
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
export {
  AcceptedButUnconfirmedError,
  type ArmClientOptions,
  type WriteCondition,
  applyFirewallDnat,
  deleteRuleCollectionGroup,
  listRuleCollectionGroups,
  readFirewallDnat,
} from './apply';
export { type RetryInfo, type RetryOptions, isRetryableArmError, retryAfterMs, withArmRetry } from './arm-retry';
export {
  type ClusterPlan,
  MARKDOWN_MAX_CHARS,
  PLAN_JSON_KIND,
  hasChanges,
  planJson,
  planMarkdown,
  planText,
} from './plan-report';
export { type PruneCandidate, type PruneVerdict, classifyGroups } from './prune';
export { isLoopbackHttpEndpoint, loopbackHttpClient, staticTokenCredential } from './local-arm';
export {
  type DnatRuleChange,
  type FirewallDnatDiff,
  diffFirewallDnat,
  formatFirewallDnatDiff,
  isEmptyDiff,
} from './diff';
export { type DnatRuleRow, dnatRuleRows, formatDnatTable } from './rule-rows';
export { runEdge } from './edge-command';
export { type EdgeArgs, type EdgeOptions, LOCAL_ARM_TOKEN } from './edge-session';
export {
  type PrerequisiteInputs,
  type Prerequisites,
  PREREQUISITES_JSON_FILE,
  PREREQUISITES_KIND,
  PREREQUISITES_MD_FILE,
  WORKLOAD_IDENTITY_AUDIENCE,
  buildPrerequisites,
  prerequisitesJson,
  prerequisitesMarkdown,
} from './prerequisites';
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
export {
  FRONT_DOOR_FILE_KIND,
  type FrontDoorFile,
  type ParsedFrontDoorFile,
  fromCdnArmBody,
  parseFrontDoorFile,
  toCdnArmBody,
  toFrontDoorJson,
} from './front-door/front-door-file';
export {
  type FrontDoorAction,
  type FrontDoorChange,
  FrontDoorOwnershipError,
  applyFrontDoor,
  isSubset,
  planFrontDoor,
} from './front-door/front-door-apply';
export {
  type DeclaredProfile,
  type ProfileCandidate,
  type ProfileVerdict,
  declaredProfiles,
  deleteFrontDoorProfile,
  frontDoorSubscriptions,
  scanFrontDoorProfiles,
} from './front-door/front-door-prune';
export {
  type FrontDoorPlan,
  frontDoorPlanJson,
  frontDoorPlanMarkdown,
  orphanedProfilesText,
} from './front-door/front-door-plan-report';

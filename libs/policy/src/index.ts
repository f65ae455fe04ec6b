export type {
  ClusterSummary,
  Finding,
  PolicyCluster,
  PolicyInput,
  PolicyL7Provider,
  PolicyReport,
  Severity,
  UnreadableFile,
} from './model';
export { policyClusterOf, AGIC_DEFAULT_INGRESS_CLASS } from './policy-cluster';
export type { RuleCategory, RuleId } from './rule-catalog';
export { RULES, findRule, type RuleDefinition } from './rule-definitions';
export { evaluate, compareFindings, UNASSIGNED_CLUSTER } from './evaluate';
export {
  loadTree,
  parseManifestFile,
  documentStartLines,
  checkGeneratedLayout,
  type LoadedTree,
  type LoadTreeOptions,
} from './load-tree';
export { checkKustomizationFile } from './kustomization-file';
export { yamlDocuments } from './yaml-documents';
export { unexpectedFileReason, placeOfFile, appOfFile, type FilePlace } from './generated-layout';
export { reasonProblem } from './waivers';
export { formatTable, summaryLine, verdictLine } from './format-table';
export { formatGithub, githubAnnotation, escapeData, escapeProperty } from './format-github';
export { formatSarif, SARIF_SCHEMA_URI, SARIF_TOOL_NAME } from './format-sarif';
export { formatJunit } from './format-junit';
export { formatJson } from './format-json';
export {
  runPolicy,
  POLICY_EXIT_OK,
  POLICY_EXIT_FAILED,
  POLICY_EXIT_USAGE,
  POLICY_FORMATS,
  type PolicyArgs,
  type PolicyOptions,
} from './policy-command';
export { clusterOfFile, describeObject, isKustomizeConfig } from './object-identity';
export { selectorMatches } from './label-selector';
export { parseImageReference, type ImageReference } from './rules/images';
export { normalizeRepoPath, PLATFORM_KUSTOMIZATION } from './rules/flux';
export { listWaivers, formatWaiverTable, formatWaiverJson, type WaiverEntry } from './waiver-list';

export type { DnatRuleChange, FleetDiff, GroupDiff, KubeDoc, ObjectChange, RiskFlag, RiskKind } from './model';
export { RISK_KINDS } from './model';
export { fieldChanges, formatFieldChange, type FieldChange } from './field-changes';
export { readCommittedOutput, resolveCommit, GitRefError, DIFFED_FOLDERS } from './git-tree';
export { readCommittedTree, type CommittedTree } from './committed-objects';
export { diffRefs, diffTrees, type DiffOptions } from './fleet-diff';
export { widenedSources, publishedHosts, containerImages } from './risk-flags';
export { formatText, formatJson, formatMarkdown, COMMENT_MARKER, MARKDOWN_LIMIT } from './format';
export { runDiff, type DiffArgs, type DiffCommandOptions } from './diff-command';

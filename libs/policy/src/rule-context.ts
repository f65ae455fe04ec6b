import type { ManifestDocument } from '@aks-gitops/cluster-model';
import type { ClusterIndex } from './cluster-index';
import type { RuleId } from './rule-catalog';

/**
 * How a rule reports: the document it blames (whose waiver annotations apply), what is wrong and how
 * to fix it. Severity, cluster and object name are filled in centrally so rules cannot disagree.
 */
export type Report = (ruleId: RuleId, subject: ManifestDocument, message: string, fix: string) => void;

export interface RuleContext {
  cluster: ClusterIndex;
  existingPaths: ReadonlySet<string> | undefined;
  report: Report;
}

/** A rule family: reads the cluster index, reports through the context. */
export type ClusterCheck = (context: RuleContext) => void;

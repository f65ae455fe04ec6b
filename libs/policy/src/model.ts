import type { ManifestDocument } from '@aks-gitops/cluster-model';
import type { RuleId } from './rule-catalog';

/** `error` fails the gate; `warning` is reported but never changes the exit code. */
export type Severity = 'error' | 'warning';

/** A cluster as the fleet defines it; the environment decides environment-specific rules (prod digests). */
export interface PolicyCluster {
  name: string;
  environment: string;
}

/** A file that could not be turned into Kubernetes objects; reported so a broken file cannot hide objects. */
export interface UnreadableFile {
  file: string;
  message: string;
  /** The gate rule the file breaks; default `manifest-readable`. */
  ruleId?: RuleId;
  /** How to fix it; default: make every document a Kubernetes object. */
  fix?: string;
}

export interface PolicyInput {
  documents: ManifestDocument[];
  clusters: PolicyCluster[];
  /**
   * Repo-relative folders that exist, e.g. `clusters/aks-dev-weu/orders-api`. When given, every Flux
   * Kustomization path must be one of them; when omitted the path rule is skipped (synth-time runs
   * have no tree yet).
   */
  existingPaths?: ReadonlySet<string>;
  /** Files the loader could not parse; each becomes a `manifest-readable` error. */
  unreadableFiles?: UnreadableFile[];
}

export interface Finding {
  /** One of RULES; stable, and the suffix of the waiver annotation that excuses the finding. */
  ruleId: RuleId;
  severity: Severity;
  cluster: string;
  file: string;
  /** `Kind namespace/name`, or `Kind name` for cluster-scoped (or namespace-less) objects. */
  object: string;
  /** What is wrong, including the offending value. */
  message: string;
  /** How to fix it. */
  fix: string;
  /** Present when an annotation `waivers.aks-gitops.io/<ruleId>` with a reason covers this finding. */
  waived?: { reason: string };
}

export interface ClusterSummary {
  cluster: string;
  /** Kubernetes objects evaluated for this cluster (kustomize config files excluded). */
  objects: number;
  /** Unwaived findings by severity. */
  errors: number;
  warnings: number;
  waived: number;
}

export interface PolicyReport {
  findings: Finding[];
  summary: ClusterSummary[];
  /** True when no unwaived error exists: the gate's verdict. */
  ok: boolean;
}

import type { ManifestDocument } from '@aks-gitops/cluster-model';
import type { RuleId } from './rule-catalog';

/** `error` fails the gate; `warning` is reported but never changes the exit code. */
export type Severity = 'error' | 'warning';

/** A cluster as the fleet defines it; the environment decides environment-specific rules (prod digests). */
export interface PolicyCluster {
  name: string;
  environment: string;
  /**
   * Kubernetes minor version, e.g. `1.30`: decides which apiVersions are deprecated or removed.
   * @default undefined: the API version rule is skipped (the caller knows no version)
   */
  kubernetesVersion?: string;
  /**
   * Where images may come from: `host[:port]` or `host[:port]/path/prefix` (see image-registries.ts).
   * @default undefined: the registry rule is skipped
   */
  allowedRegistries?: readonly string[];
  /**
   * The cluster's own L7 provider: Ingresses must use its IngressClass, Gateways its GatewayClass.
   * @default undefined: the class rules are skipped
   */
  l7?: PolicyL7Provider;
}

/** The L7 front door of a cluster as the policy gate needs it: which class names belong to it. */
export type PolicyL7Provider =
  { kind: 'agic'; ingressClassName: string } | { kind: 'gateway-api'; gatewayClassName: string };

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
  /**
   * 1-based line where the object's document starts in `file`, when the loader read it from disk.
   * Absent for the in-synth gate (nothing is written yet) and for findings about a whole file or cluster.
   */
  line?: number;
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

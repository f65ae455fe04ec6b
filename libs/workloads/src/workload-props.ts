import type { Protocol } from './cluster-registry';

/** A call to another app on the same cluster: caller gets egress, callee (which must accept the caller) gets matching ingress. */
export interface CallTarget {
  /** The app to call. */
  readonly app: string;
  /** Which of its workloads; needed only when the app has several. */
  readonly workload?: string;
  /** Container ports to allow. Default: every port of the callee. */
  readonly ports?: readonly number[];
}

/** Egress to addresses outside the cluster (databases, Azure services behind private endpoints). */
export interface EgressRule {
  /** Destination CIDR. `0.0.0.0/0` needs `reason` and is reported as waived by the policy gate. */
  readonly cidr: string;
  readonly ports: ReadonlyArray<{ readonly port: number; readonly protocol?: Protocol }>;
  /** Why this destination is needed. Required for `0.0.0.0/0`. */
  readonly reason?: string;
}

export interface ResourceSpec {
  /** CPU request. Default `100m`. No CPU limit is set: limits cause throttling, requests reserve. */
  readonly cpu?: string;
  /** Memory request. Default `128Mi`. */
  readonly memory?: string;
  /** Memory limit. Default `256Mi`; must be at least the request. */
  readonly memoryLimit?: string;
  /** Optional CPU limit, for workloads that must be capped. */
  readonly cpuLimit?: string;
}

export interface AutoscalingSpec {
  /** Default 2. */
  readonly minReplicas?: number;
  readonly maxReplicas: number;
  /** Average CPU utilization target in percent of the request. Default 70. */
  readonly targetCpuUtilization?: number;
}

/** Props that every workload shares, L7 or L4. Everything not here the platform decides. */
export interface WorkloadProps {
  /**
   * Kubernetes name of the workload and its objects. Default: the app name. Never derived from the
   * construct id, so renaming an id in code renames nothing in the cluster.
   */
  readonly name?: string;
  /** Image with a tag or digest; `latest` or untagged is rejected. Prod clusters need a digest (policy gate). */
  readonly image: string;
  /** Container command and args override. */
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  /** Fixed replica count. Default 2. Ignored (and must be unset) when `autoscaling` is given. */
  readonly replicas?: number;
  /** HorizontalPodAutoscaler on CPU; the Deployment then carries no `replicas`. */
  readonly autoscaling?: AutoscalingSpec;
  readonly resources?: ResourceSpec;
  /** Plain environment variables (never secrets: use `keyVaultSecrets`). */
  readonly env?: Readonly<Record<string, string>>;
  /** Non-secret configuration, written as a ConfigMap and exposed as environment variables. */
  readonly config?: Readonly<Record<string, string>>;
  /**
   * Key Vault secrets mounted as files under `/mnt/secrets-store/<name>` through the Secrets Store
   * CSI driver, read with the workload identity. Nothing secret is written to git.
   */
  readonly keyVaultSecrets?: readonly string[];
  /** Azure workload identity: the client ID of the user-assigned identity federated with this ServiceAccount. */
  readonly workloadIdentity?: { readonly clientId: string };
  /**
   * Other apps this workload calls (by app name, or with workload/ports). Each callee must accept
   * this app (its `acceptCallsFrom`); the caller gets the egress, the callee the ingress in its own
   * folder. The callee must be deployed on every cluster this workload calls it on.
   */
  readonly calls?: ReadonlyArray<string | CallTarget>;
  /**
   * Apps whose calls this workload accepts: consent, written by the callee's owners. Each listed
   * app must call this workload on every cluster where both are deployed; an app not deployed on a
   * cluster is allowed nothing there. Workloads of the same app need no consent.
   * @default [] (no other app may call this workload)
   */
  readonly acceptCallsFrom?: readonly string[];
  /** Egress allow-list outside the cluster. DNS is always allowed. */
  readonly egress?: readonly EgressRule[];
  /** UID and GID of the container process. Default 10001 (kube-score wants >= 10000). */
  readonly runAsUser?: number;
  /** Loosens the read-only root filesystem, visibly: needs a reason and is reported as waived. */
  readonly writableRootFilesystem?: { readonly reason: string };
}

import type { Protocol } from './cluster-claims';

/** A call to another app on the same cluster: caller gets egress, callee (which must accept the caller) gets matching ingress. */
export interface CallTarget {
  /** The app to call. */
  readonly app: string;
  /**
   * Which of its workloads; needed only when the app has several.
   * @default the callee app's only workload
   */
  readonly workload?: string;
  /**
   * Container ports to allow.
   * @default every port of the callee
   */
  readonly ports?: readonly number[];
}

/** Egress to addresses outside the cluster (databases, Azure services behind private endpoints). */
export interface EgressRule {
  /** Destination CIDR. `0.0.0.0/0` needs `reason` and is reported as waived by the policy gate. */
  readonly cidr: string;
  readonly ports: ReadonlyArray<{ readonly port: number; readonly protocol?: Protocol }>;
  /**
   * Why this destination is needed. Required for `0.0.0.0/0`.
   * @default none (required for `0.0.0.0/0`)
   */
  readonly reason?: string;
}

export interface ResourceSpec {
  /**
   * CPU request. No CPU limit is set by default: limits cause throttling, requests reserve.
   * @default "100m"
   */
  readonly cpu?: string;
  /**
   * Memory request.
   * @default "128Mi"
   */
  readonly memory?: string;
  /**
   * Memory limit; must be at least the request.
   * @default "256Mi"
   */
  readonly memoryLimit?: string;
  /**
   * CPU limit, for workloads that must be capped.
   * @default none (no CPU limit)
   */
  readonly cpuLimit?: string;
}

export interface AutoscalingSpec {
  /**
   * Fewest replicas the autoscaler keeps.
   * @default 2
   */
  readonly minReplicas?: number;
  readonly maxReplicas: number;
  /**
   * Average CPU utilization target in percent of the request.
   * @default 70
   */
  readonly targetCpuUtilization?: number;
}

/**
 * How a pod leaves the load balancer or gateway before it stops, so rollouts and scale-downs
 * drop no requests: on termination the pod is removed from the endpoints at once, but the front
 * door keeps sending to it until it notices; a preStop wait keeps the pod serving meanwhile, then
 * SIGTERM gives in-flight requests `drainSeconds`. `terminationGracePeriodSeconds` is always
 * `preStopSeconds + drainSeconds + 5`, so the kubelet never kills a pod that is still draining.
 */
export interface ShutdownSpec {
  /**
   * Seconds the pod keeps serving after it is marked terminating.
   * @default 90 behind AGIC (the AGIC guide "minimize downtime during deployments" asks for at
   * least 90 s: App Gateway backend pools lag pod termination); 30 behind Application Gateway for
   * Containers and in-cluster gateways (how fast the ALB Controller removes an endpoint is not
   * documented: a safe margin over its 5 s x 3 health probe); 15 behind the Azure load balancer
   * (L4Service: the LB probes each node's health check port every 5 s and takes a node out after
   * 2 failures, cloud-provider-azure defaults).
   */
  readonly preStopSeconds?: number;
  /**
   * Seconds in-flight requests get once the wait is over (SIGTERM). Behind AGIC also the App
   * Gateway `connection-draining-timeout`.
   * @default 30
   */
  readonly drainSeconds?: number;
  /**
   * Why this workload can stop sooner; required when `preStopSeconds` is below its default.
   * @default none (required when preStopSeconds is below its default)
   */
  readonly reason?: string;
  /**
   * Clusters before Kubernetes 1.30 only, where the `sleep` lifecycle action does not exist: the
   * preStop command to run instead. It runs without a shell, so the image must contain it (e.g.
   * `['/bin/sleep', '90']`); distroless images have no `sleep`.
   * @default none: such clusters must set it, or preStopSeconds 0 with a reason
   */
  readonly preStopCommand?: readonly string[];
}

/** Props that every workload shares, L7 or L4. Everything not here the platform decides. */
export interface WorkloadProps {
  /**
   * Kubernetes name of the workload and its objects. Never derived from the construct id, so
   * renaming an id in code renames nothing in the cluster.
   * @default the app name
   */
  readonly name?: string;
  /** Image with a tag or digest; `latest` or untagged is rejected. Prod clusters need a digest (policy gate). */
  readonly image: string;
  /**
   * Container command (entrypoint) override.
   * @default the image's entrypoint
   */
  readonly command?: readonly string[];
  /**
   * Container args override.
   * @default the image's command
   */
  readonly args?: readonly string[];
  /**
   * Fixed replica count. Must be unset when `autoscaling` is given.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * HorizontalPodAutoscaler on CPU; the Deployment then carries no `replicas`.
   * @default none (a fixed `replicas` count)
   */
  readonly autoscaling?: AutoscalingSpec;
  /**
   * CPU and memory requests and limits.
   * @default see ResourceSpec (100m CPU, 128Mi memory, 256Mi memory limit)
   */
  readonly resources?: ResourceSpec;
  /**
   * Plain environment variables (never secrets: use `keyVaultSecrets`).
   * @default {}
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Non-secret configuration, written as a ConfigMap and exposed as environment variables.
   * @default {} (no ConfigMap)
   */
  readonly config?: Readonly<Record<string, string>>;
  /**
   * Key Vault secrets mounted as files under `/mnt/secrets-store/<name>` through the Secrets Store
   * CSI driver, read with the workload identity. Nothing secret is written to git.
   * @default [] (no SecretProviderClass)
   */
  readonly keyVaultSecrets?: readonly string[];
  /**
   * Azure workload identity: the client ID of the user-assigned identity federated with this ServiceAccount.
   * @default none (no Azure identity)
   */
  readonly workloadIdentity?: { readonly clientId: string };
  /**
   * Other apps this workload calls (by app name, or with workload/ports). Each callee must accept
   * this app (its `acceptCallsFrom`); the caller gets the egress, the callee the ingress in its own
   * folder. The callee must be deployed on every cluster this workload calls it on.
   * @default [] (calls no other app)
   */
  readonly calls?: ReadonlyArray<string | CallTarget>;
  /**
   * Apps whose calls this workload accepts: consent, written by the callee's owners. Each listed
   * app must call this workload on every cluster where both are deployed; an app not deployed on a
   * cluster is allowed nothing there. Workloads of the same app need no consent.
   * @default [] (no other app may call this workload)
   */
  readonly acceptCallsFrom?: readonly string[];
  /**
   * Egress allow-list outside the cluster. DNS is always allowed.
   * @default [] (DNS only)
   */
  readonly egress?: readonly EgressRule[];
  /**
   * UID and GID of the container process (kube-score wants >= 10000).
   * @default 10001
   */
  readonly runAsUser?: number;
  /**
   * Graceful shutdown behind the front door; see ShutdownSpec for each default and why.
   * @default the front door's wait (see ShutdownSpec)
   */
  readonly shutdown?: ShutdownSpec;
  /**
   * Loosens the read-only root filesystem, visibly: needs a reason and is reported as waived.
   * @default none (read-only root filesystem)
   */
  readonly writableRootFilesystem?: { readonly reason: string };
}

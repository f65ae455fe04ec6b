import type { k8s } from 'cdk8s-plus-28';
import type { PodPort } from './cluster-claims';
import type { ProbeAction } from './probes';
import type { ResolvedShutdown } from './shutdown';
import type { WorkloadProps } from './workload-props';

/** A persistent volume of a stateful workload (one PVC per replica through volumeClaimTemplates). */
export interface VolumeClaimSpec {
  readonly name: string;
  readonly mountPath: string;
  /** Size, e.g. `10Gi`. */
  readonly size: string;
  /**
   * StorageClass of the claims.
   * @default the cluster default StorageClass
   */
  readonly storageClassName?: string;
}

/** What L7Api and L4Service add on top of the shared WorkloadProps. */
export interface ZeroTrustWorkloadProps extends WorkloadProps {
  readonly component: string;
  /** Prefix of field paths in error messages, e.g. `L7Api(orders-api)`. */
  readonly fieldPrefix: string;
  readonly ports: readonly PodPort[];
  readonly readiness: ProbeAction;
  readonly liveness: ProbeAction;
  readonly startup?: ProbeAction;
  /** Ingress rules of the workload NetworkPolicy: exactly the sources that reach the pods. */
  readonly ingress: readonly k8s.NetworkPolicyIngressRule[];
  /** Run as a StatefulSet with these volumes instead of a Deployment. */
  readonly volumes?: readonly VolumeClaimSpec[];
  /** Extra waivers (rule id -> reason) the calling construct adds for an explicit loosening. */
  readonly waivers?: Readonly<Record<string, string>>;
  /** preStop wait, drain time and grace period, resolved by the construct for its front door. */
  readonly resolvedShutdown: ResolvedShutdown;
}

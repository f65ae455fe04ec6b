import type { ClusterSpec } from './cluster-spec';

/** The minor of `kubernetesVersion` ("1.30" -> 30); validated by validateCluster. */
export function kubernetesMinor(spec: Pick<ClusterSpec, 'kubernetesVersion'>): number {
  return Number(spec.kubernetesVersion.split('.')[1]);
}

/**
 * The `sleep` lifecycle handler (KEP-3960, PodLifecycleSleepAction) is beta and on by default from
 * Kubernetes 1.30 and GA in 1.34; before 1.30 the API server drops it. It needs no binary in the
 * image, unlike an exec preStop.
 */
export function supportsSleepAction(spec: Pick<ClusterSpec, 'kubernetesVersion'>): boolean {
  return kubernetesMinor(spec) >= 30;
}

/**
 * Whether pods resolve DNS through AKS LocalDNS. AKS Standard applies LocalDNS mode `Preferred` by
 * default from Kubernetes 1.37 (learn.microsoft.com/azure/aks/localdns-custom), so an unset
 * `network.localDns` follows the version.
 */
export function usesLocalDns(spec: Pick<ClusterSpec, 'kubernetesVersion' | 'network'>): boolean {
  return spec.network.localDns ?? kubernetesMinor(spec) >= 37;
}

/** The link-local addresses the LocalDNS proxy listens on (AKS docs: dig answers come from these). */
export const LOCAL_DNS_ADDRESSES: readonly string[] = ['169.254.10.10', '169.254.10.11'];
/** The range the Cilium form of the LocalDNS egress rule allows (AKS Azure CNI Powered by Cilium FAQ). */
export const LOCAL_DNS_CIDR = '169.254.10.0/24';

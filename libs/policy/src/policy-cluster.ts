import type { ClusterSpec } from '@aks-gitops/cluster-model';
import type { PolicyCluster } from './model';

/** The IngressClass the AGIC Helm chart installs; a cluster spec may name another. */
export const AGIC_DEFAULT_INGRESS_CLASS = 'azure-application-gateway';

/**
 * What the policy gate needs to know about a cluster, taken from its spec. Synth's in-memory gate
 * and the standalone `npm run policy` both build their cluster list with this, so the two judge the
 * same facts.
 */
export function policyClusterOf(spec: ClusterSpec): PolicyCluster {
  return {
    name: spec.name,
    environment: spec.environment,
    kubernetesVersion: spec.kubernetesVersion,
    allowedRegistries: [...spec.allowedRegistries],
    l7:
      spec.l7.kind === 'agic'
        ? { kind: 'agic', ingressClassName: spec.l7.ingressClassName ?? AGIC_DEFAULT_INGRESS_CLASS }
        : { kind: 'gateway-api', gatewayClassName: spec.l7.gatewayClassName },
  };
}

import type { ClusterSpec } from './cluster-spec';
import { NETWORK_PLUGINS } from './cluster-spec';
import { parseCidr } from './ipv4';
import { oneOfProblem } from './validators';

/** GatewayClass of Application Gateway for Containers (ALB Controller). */
export const AGC_GATEWAY_CLASS = 'azure-alb-external';

/** One unsupported combination, with the field to blame and the documentation that says so. */
export interface NetworkModelProblem {
  readonly field: string;
  readonly problem: string;
  readonly fix: string;
}

const SRC_NETPOL = 'learn.microsoft.com/azure/aks/use-network-policies ("Supported networking options")';
const SRC_AGC_NET = 'learn.microsoft.com/azure/application-gateway/for-containers/container-networking';

/**
 * The combinations of network plugin, policy engine and L7 provider that AKS, AGIC or AGC document
 * as unsupported. Each problem names its source. Deliberately not asserted (no primary source
 * found): Azure NPM with Azure CNI Overlay, AGIC engine-specific caveats.
 */
export function networkModelProblems(spec: ClusterSpec): NetworkModelProblem[] {
  const out: NetworkModelProblem[] = [];
  const net = spec.network;
  const plugin = net?.plugin;
  const pluginProblem = oneOfProblem(plugin, NETWORK_PLUGINS);
  if (pluginProblem) {
    out.push({
      field: 'network.plugin',
      problem: pluginProblem,
      fix: `pick the plugin and mode the cluster was created with: ${NETWORK_PLUGINS.join(', ')}`,
    });
    return out;
  }
  if (plugin === 'kubenet' && spec.networkPolicyEngine === 'cilium') {
    out.push({
      field: 'networkPolicyEngine',
      problem: `"cilium" needs Azure CNI (Azure CNI Powered by Cilium runs in overlay, pod subnet or node subnet mode), but network.plugin is "kubenet" (${SRC_NETPOL}; learn.microsoft.com/azure/aks/azure-cni-powered-by-cilium)`,
      fix: 'use network.plugin "azure-cni-overlay" with cilium, or "calico" on kubenet',
    });
  }
  if (plugin === 'kubenet' && spec.networkPolicyEngine === 'azure') {
    out.push({
      field: 'networkPolicyEngine',
      problem: `"azure" (Azure Network Policy Manager) needs Azure CNI, but network.plugin is "kubenet" (${SRC_NETPOL})`,
      fix: 'use "calico" on kubenet, or move the cluster to Azure CNI (Overlay) and Cilium',
    });
  }
  if (plugin === 'azure-cni-pod-subnet') {
    if (parseCidr(net.podSubnetCidr as string) === undefined) {
      out.push({
        field: 'network.podSubnetCidr',
        problem: `${JSON.stringify(net.podSubnetCidr)} is not a CIDR, and azure-cni-pod-subnet needs the pod subnet`,
        fix: 'give the pod subnet CIDR, e.g. "10.241.0.0/16"',
      });
    }
  } else if (net.podSubnetCidr !== undefined) {
    out.push({
      field: 'network.podSubnetCidr',
      problem: `is set but network.plugin is "${plugin}", which has no pod subnet`,
      fix: 'drop podSubnetCidr, or use network.plugin "azure-cni-pod-subnet"',
    });
  }
  const l7 = spec.l7;
  if (l7?.kind === 'gateway-api' && l7.gatewayClassName === AGC_GATEWAY_CLASS) {
    if (plugin === 'kubenet') {
      out.push({
        field: 'network.plugin',
        problem: `"kubenet" is not supported by Application Gateway for Containers (${SRC_AGC_NET})`,
        fix: 'upgrade the cluster to Azure CNI Overlay before installing AGC, or use AGIC',
      });
    }
    const agcSubnet = parseCidr(net.l7SourceCidr);
    if (agcSubnet && plugin === 'azure-cni-overlay' && agcSubnet.prefix !== 24) {
      out.push({
        field: 'network.l7SourceCidr',
        problem: `the AGC association subnet ${agcSubnet.text} is not a /24; with Azure CNI Overlay AGC needs exactly /24 (${SRC_AGC_NET})`,
        fix: 'give the AGC association subnet exactly a /24',
      });
    } else if (agcSubnet && agcSubnet.prefix > 24) {
      out.push({
        field: 'network.l7SourceCidr',
        problem: `the AGC association subnet ${agcSubnet.text} is smaller than /24 (learn.microsoft.com/azure/application-gateway/for-containers/application-gateway-for-containers-components)`,
        fix: 'give the AGC association subnet a /24 or larger',
      });
    }
  }
  return out;
}

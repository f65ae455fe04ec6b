/** Cluster variants for scenarios the two example clusters do not cover. */
import type { AgicProvider, ClusterSpec, GatewayApiProvider } from '@aks-gitops/cluster-model';
import { DEV, PROD } from './harness';

export const PROD_WAF = (PROD.l7 as AgicProvider).wafPolicyId as string;
export const APP_WAF =
  '/subscriptions/00000000-0000-4000-8000-00000000f001/resourceGroups/rg-orders/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/waf-orders';
export const DEV_WAF =
  '/subscriptions/00000000-0000-4000-8000-00000000d001/resourceGroups/rg-edge-weu/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/waf-dev-weu';

function withAgic(
  base: ClusterSpec,
  name: string,
  l7: Partial<AgicProvider>,
  drop: Array<keyof AgicProvider> = [],
): ClusterSpec {
  const merged: Record<string, unknown> = { ...(base.l7 as AgicProvider), ...l7 };
  for (const k of drop) delete merged[k];
  return { ...base, name, l7: merged as unknown as AgicProvider };
}

function withGateway(base: ClusterSpec, name: string, l7: Partial<GatewayApiProvider>): ClusterSpec {
  return { ...base, name, l7: { ...(base.l7 as GatewayApiProvider), ...l7 } };
}

/** AGIC through the App Gateway's private frontend. */
export const AGIC_PRIVATE = withAgic(PROD, 'aks-agic-private', { usePrivateIp: true });
/** AGIC with no trusted root certificate and no WAF policy on the cluster. */
export const AGIC_BARE = withAgic(PROD, 'aks-agic-bare', {}, ['trustedRootCertificate', 'wafPolicyId']);
/** AGIC with a custom IngressClass name. */
export const AGIC_CUSTOM_CLASS = withAgic(PROD, 'aks-agic-class', { ingressClassName: 'appgw-internal' });
/** Application Gateway for Containers with a cluster WAF policy. */
export const AGC_WAF = withGateway(DEV, 'aks-agc-waf', { wafPolicyId: DEV_WAF });
/** An in-cluster Gateway API implementation (Istio) whose gateway pods carry labels. */
export const IN_CLUSTER_GATEWAY = withGateway(DEV, 'aks-istio-gw', {
  gatewayClassName: 'istio',
  gateway: { namespace: 'gateway-system', name: 'public', listener: 'https-public' },
  gatewayPodLabels: { 'gateway.networking.k8s.io/gateway-name': 'public' },
  wafPolicyId: DEV_WAF,
});

import type { RuleContext } from '../rule-context';
import { asArray, asRecord, asStringMap, show } from '../unknown-value';

/*
 * Services are the one place a pod can be reached from outside the pod network. The platform's rule
 * is that nothing is public at the Service level: L4 traffic enters through internal load
 * balancers behind the firewall or Private Link, and L7 through the Application Gateway.
 */

export const AZURE_INTERNAL_LB_ANNOTATION = 'service.beta.kubernetes.io/azure-load-balancer-internal';
export const AZURE_LB_IPV4_ANNOTATION = 'service.beta.kubernetes.io/azure-load-balancer-ipv4';

export function checkServices({ cluster, report }: RuleContext): void {
  for (const document of cluster.byKind.get('Service') ?? []) {
    const spec = asRecord(document.object.spec) ?? {};
    const annotations = asStringMap(document.object.metadata.annotations);
    const type = spec.type ?? 'ClusterIP';

    if (type === 'LoadBalancer') {
      if (annotations[AZURE_INTERNAL_LB_ANNOTATION] !== 'true') {
        report(
          'service-lb-internal',
          document,
          `LoadBalancer Service is public: ${AZURE_INTERNAL_LB_ANNOTATION} is ${show(document.object.metadata.annotations?.[AZURE_INTERNAL_LB_ANNOTATION])}`,
          `Annotate the Service with ${AZURE_INTERNAL_LB_ANNOTATION}: "true" and publish it through the firewall or Private Link.`,
        );
      }
      // Local keeps the client IP, which NetworkPolicy ipBlocks and the firewall SNAT range rely on.
      if (spec.externalTrafficPolicy !== 'Local') {
        report(
          'service-lb-external-traffic-policy',
          document,
          `externalTrafficPolicy is ${show(spec.externalTrafficPolicy)} (must be Local)`,
          'Set spec.externalTrafficPolicy: Local so pods see the real source address their NetworkPolicy admits.',
        );
      }
    }
    if (spec.loadBalancerIP !== undefined && spec.loadBalancerIP !== '') {
      report(
        'service-lb-ip-field',
        document,
        `spec.loadBalancerIP is ${show(spec.loadBalancerIP)} (deprecated)`,
        `Remove spec.loadBalancerIP and set the annotation ${AZURE_LB_IPV4_ANNOTATION}: "${String(spec.loadBalancerIP)}".`,
      );
    }
    if (type === 'NodePort') {
      report(
        'service-no-node-port',
        document,
        'Service type is NodePort (opens the port on every node)',
        'Use ClusterIP, or an internal LoadBalancer for L4.',
      );
    }
    const externalIps = asArray(spec.externalIPs);
    if (externalIps.length > 0) {
      report(
        'service-no-external-ips',
        document,
        `spec.externalIPs is ${show(externalIps)}`,
        'Remove spec.externalIPs; use an internal LoadBalancer Service.',
      );
    }
  }
}

import { synthesizeFleet } from '@aks-gitops/synth';
import { CLUSTERS } from '@aks-gitops/cluster-model';
import { L7Api, defineApp } from '@aks-gitops/workloads';
import ordersApi from '@aks-gitops/orders-api';

/**
 * A stand-in for payments-api, the caller orders-api accepts (consent for an app that does not
 * exist is an error, and payments-api's own package depends on this one).
 */
const paymentsCaller = defineApp({
  name: 'payments-api',
  deploy: ({ scope }) =>
    new L7Api(scope, 'api', {
      image: `ghcr.io/contoso/payments-api:1.0.0@sha256:${'d'.repeat(64)}`,
      port: 8443,
      routes: [{ host: 'pay.contoso.com' }],
      calls: ['orders-api'],
    }),
});

/** What each cluster gets for orders-api, read the way a reviewer reads the generated folder. */
const out = synthesizeFleet({ clusters: CLUSTERS, apps: [ordersApi, paymentsCaller] });
const objects = (cluster: string) =>
  out.documents.filter((d) => d.file.startsWith(`clusters/${cluster}/orders-api/`)).map((d) => d.object);
const find = (cluster: string, kind: string) => objects(cluster).find((o) => o.kind === kind);

describe('orders-api', () => {
  it('is routed through Application Gateway for Containers on dev (HTTPRoute on the shared Gateway)', () => {
    expect(find('aks-dev-weu', 'HTTPRoute')?.spec).toMatchObject({
      hostnames: ['orders.dev.contoso.com'],
      parentRefs: [{ name: 'shared-gateway', namespace: 'edge-gateway', sectionName: 'https' }],
    });
    expect(find('aks-dev-weu', 'Ingress')).toBeUndefined();
  });

  it('is routed through AGIC on prod, with the Key Vault listener certificate and the WAF policy', () => {
    const ing = find('aks-prod-weu', 'Ingress');
    expect(ing?.metadata.annotations).toMatchObject({
      'appgw.ingress.kubernetes.io/appgw-ssl-certificate': 'wildcard-contoso-com',
      'appgw.ingress.kubernetes.io/ssl-redirect': 'true',
      'appgw.ingress.kubernetes.io/health-probe-path': '/healthz/ready',
    });
    expect(ing?.metadata.annotations?.['appgw.ingress.kubernetes.io/waf-policy-for-path']).toMatch(
      /ApplicationGatewayWebApplicationFirewallPolicies\/waf-prod-weu$/,
    );
  });

  it('runs 2 fixed replicas on dev and autoscales 3..12 on prod (no replicas field beside the HPA)', () => {
    expect((find('aks-dev-weu', 'Deployment')?.spec as { replicas?: number }).replicas).toBe(2);
    expect((find('aks-prod-weu', 'Deployment')?.spec as { replicas?: number }).replicas).toBeUndefined();
    expect(find('aks-prod-weu', 'HorizontalPodAutoscaler')?.spec).toMatchObject({ minReplicas: 3, maxReplicas: 12 });
  });

  it('admits payments-api, which it accepts, with a policy in its own folder', () => {
    const allow = objects('aks-dev-weu').find(
      (o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'allow-from-payments-api',
    );
    expect(allow?.metadata.namespace).toBe('orders-api');
    expect(allow?.spec).toMatchObject({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'orders-api' } },
      policyTypes: ['Ingress'],
    });
  });

  it('pins the image by digest in production', () => {
    const dep = find('aks-prod-weu', 'Deployment')?.spec as {
      template: { spec: { containers: Array<{ image: string }> } };
    };
    expect(dep.template.spec.containers[0].image).toMatch(/@sha256:[0-9a-f]{64}$/);
  });
});

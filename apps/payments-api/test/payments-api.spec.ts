import { synthesizeFleet } from '@aks-gitops/synth';
import { CLUSTERS } from '@aks-gitops/cluster-model';
import ordersApi from '@aks-gitops/orders-api';
import paymentsApi from '@aks-gitops/payments-api';

const out = synthesizeFleet({ clusters: CLUSTERS, apps: [ordersApi, paymentsApi] });
const inFolder = (cluster: string) =>
  out.documents.filter((d) => d.file.startsWith(`clusters/${cluster}/payments-api/`)).map((d) => d.object);

describe('payments-api', () => {
  it('uses workload identity: pod label, ServiceAccount client ID, no API token mounted', () => {
    const objs = inFolder('aks-prod-weu');
    const sa = objs.find((o) => o.kind === 'ServiceAccount');
    expect(sa?.metadata.annotations).toEqual({
      'azure.workload.identity/client-id': '3c1f5a0e-7b2d-4c8e-9f10-2a3b4c5d6e7f',
    });
    expect(sa?.automountServiceAccountToken).toBe(false);
    const pod = (
      objs.find((o) => o.kind === 'Deployment')?.spec as {
        template: { metadata: { labels: Record<string, string> }; spec: { automountServiceAccountToken: boolean } };
      }
    ).template;
    expect(pod.metadata.labels['azure.workload.identity/use']).toBe('true');
    expect(pod.spec.automountServiceAccountToken).toBe(false);
  });

  it('reads its PSP key from Key Vault through the CSI driver; no Secret object is generated', () => {
    const objs = inFolder('aks-prod-weu');
    expect(objs.find((o) => o.kind === 'SecretProviderClass')?.spec).toMatchObject({
      provider: 'azure',
      parameters: {
        clientID: '3c1f5a0e-7b2d-4c8e-9f10-2a3b4c5d6e7f',
        keyvaultName: 'kv-aks-prod-weu',
        usePodIdentity: 'false',
      },
    });
    expect(objs.some((o) => o.kind === 'Secret')).toBe(false);
  });

  it('re-encrypts to the pod on prod (backend https with the trusted root)', () => {
    const ing = inFolder('aks-prod-weu').find((o) => o.kind === 'Ingress');
    expect(ing?.metadata.annotations).toMatchObject({
      'appgw.ingress.kubernetes.io/backend-protocol': 'https',
      'appgw.ingress.kubernetes.io/appgw-trusted-root-certificate': 'contoso-internal-root',
    });
  });

  it("re-encrypts to the pod on dev too: Application Gateway for Containers gets a BackendTLSPolicy that verifies the pod's certificate, and an HTTPS health check", () => {
    const objs = inFolder('aks-dev-weu');
    expect(objs.find((o) => o.kind === 'BackendTLSPolicy')).toEqual({
      apiVersion: 'alb.networking.azure.io/v1',
      kind: 'BackendTLSPolicy',
      metadata: expect.objectContaining({ name: 'payments-api', namespace: 'payments-api' }),
      spec: {
        targetRef: { group: '', kind: 'Service', name: 'payments-api', namespace: 'payments-api' },
        default: {
          sni: 'pay.dev.contoso.com',
          ports: [{ port: 443 }],
          verify: {
            caCertificateRef: { group: '', kind: 'Secret', name: 'payments-api-backend-ca', namespace: 'payments-api' },
            subjectAltName: 'pay.dev.contoso.com',
          },
        },
      },
    });
    expect(objs.find((o) => o.kind === 'HealthCheckPolicy')?.spec).toMatchObject({
      default: { port: 8443, useTLS: true, http: { path: '/readyz' } },
    });
  });

  it("calls orders-api, which accepts it: egress here, the matching ingress in orders-api's own folder", () => {
    const objs = inFolder('aks-dev-weu');
    const own = objs.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'payments-api')?.spec as {
      egress: Array<{ to: unknown[]; ports: unknown[] }>;
    };
    expect(own.egress).toContainEqual({
      to: [
        {
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'orders-api' } },
          podSelector: { matchLabels: { 'app.kubernetes.io/name': 'orders-api' } },
        },
      ],
      ports: [{ port: 8080, protocol: 'TCP' }],
    });
    expect(objs.every((o) => o.metadata.namespace === 'payments-api')).toBe(true);
    const callee = out.documents
      .filter((d) => d.file.startsWith('clusters/aks-dev-weu/orders-api/'))
      .map((d) => d.object)
      .find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'allow-from-payments-api');
    expect(callee?.metadata.name).toBe('allow-from-payments-api');
    expect(callee?.spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'orders-api' } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'payments-api' } },
              podSelector: { matchLabels: { 'app.kubernetes.io/name': 'payments-api' } },
            },
          ],
          ports: [{ port: 8080, protocol: 'TCP' }],
        },
      ],
    });
  });
});

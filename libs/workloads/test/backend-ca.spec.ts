/**
 * `backendProtocol: 'https'` on Application Gateway for Containers: AGC verifies the pod's
 * certificate. Its BackendTLSPolicy names a CA Secret that the Secrets Store CSI driver syncs from
 * Key Vault (never from git) while the API's pods mount it, and the name the certificate must carry.
 */
import type { ClusterSpec } from '@aks-gitops/cluster-model';
import { L7Api } from '../src';
import type { AppContext, L7ApiProps } from '../src';
import { DEV, declareOne, expectConfigError } from './support/harness';

const CA_READER = '22222222-2222-4222-8222-222222222222';
const withCa: ClusterSpec = {
  ...DEV,
  l7: {
    ...(DEV.l7 as Extract<ClusterSpec['l7'], { kind: 'gateway-api' }>),
    backendCa: { certificateName: 'contoso-internal-root', clientId: CA_READER },
  },
};
const withoutCa: ClusterSpec = {
  ...DEV,
  l7: { ...(DEV.l7 as Extract<ClusterSpec['l7'], { kind: 'gateway-api' }>), backendCa: undefined },
};
const api =
  (props: Partial<L7ApiProps> = {}) =>
  ({ scope }: AppContext) =>
    new L7Api(scope, 'api', {
      image: 'ghcr.io/contoso/pay:1.0.0',
      port: 8443,
      routes: [{ host: 'pay.contoso.com' }],
      backendProtocol: 'https',
      ...props,
    });

describe('AGC verifies the pod certificate behind backendProtocol https', () => {
  it('the BackendTLSPolicy verifies against the CA Secret <api>-backend-ca and the server name the pod certificate must carry', () => {
    const out = declareOne(withCa, 'payments', api({ backendServerName: 'payments.internal.contoso.com' }));
    expect(out.get('BackendTLSPolicy', 'payments').spec.default).toEqual({
      sni: 'payments.internal.contoso.com',
      ports: [{ port: 443 }],
      verify: {
        caCertificateRef: { group: '', kind: 'Secret', name: 'payments-backend-ca', namespace: 'payments' },
        subjectAltName: 'payments.internal.contoso.com',
      },
    });
  });

  it("the CA Secret comes from Key Vault: a SecretProviderClass syncs the certificate's public part (objectType cert) into key ca.crt, read as l7.backendCa.clientId", () => {
    const out = declareOne(withCa, 'payments', api());
    expect(out.get('SecretProviderClass', 'payments-backend-ca').spec).toEqual({
      provider: 'azure',
      parameters: {
        usePodIdentity: 'false',
        clientID: CA_READER,
        keyvaultName: DEV.keyVault.name,
        tenantId: DEV.keyVault.tenantId,
        objects: 'array:\n  - |\n    objectName: contoso-internal-root\n    objectType: cert\n',
      },
      secretObjects: [
        {
          secretName: 'payments-backend-ca',
          type: 'Opaque',
          data: [{ objectName: 'contoso-internal-root', key: 'ca.crt' }],
        },
      ],
    });
    expect(out.objects.some((o) => o.kind === 'Secret')).toBe(false);
  });

  it("the API's own pods mount the CA volume read-only, so the driver keeps the Secret while AGC has pods to verify", () => {
    const pod = declareOne(withCa, 'payments', api()).get('Deployment', 'payments').spec.template.spec;
    expect(pod.volumes).toContainEqual({
      name: 'backend-ca',
      csi: {
        driver: 'secrets-store.csi.k8s.io',
        readOnly: true,
        volumeAttributes: { secretProviderClass: 'payments-backend-ca' },
      },
    });
    expect(pod.containers[0].volumeMounts).toContainEqual({
      name: 'backend-ca',
      mountPath: '/mnt/backend-ca',
      readOnly: true,
    });
  });

  it("registers the CA reader identity for the API's ServiceAccount, so the prerequisites list its federated credential", () => {
    const out = declareOne(withCa, 'payments', api());
    expect(out.registry.identities).toContainEqual({
      app: 'payments',
      workload: 'payments',
      namespace: 'payments',
      serviceAccount: 'payments',
      clientId: CA_READER,
      keyVaultSecrets: false,
    });
  });

  it('an AGC cluster without l7.backendCa refuses https to the pod instead of encrypting without verifying', () => {
    expectConfigError(() => declareOne(withoutCa, 'payments', api()), {
      cluster: 'aks-dev-weu',
      app: 'payments',
      field: 'L7Api(payments).backendProtocol',
      problem: 'names no backend CA (l7.backendCa)',
    });
  });

  it('http backends get no CA sync', () => {
    const out = declareOne(withCa, 'payments', api({ backendProtocol: 'http' }));
    expect(out.objects.filter((o) => o.kind === 'SecretProviderClass')).toEqual([]);
  });
});

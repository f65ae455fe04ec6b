import { L7Api, defineApp, promotedImage } from '@aks-gitops/workloads';
import release from '../release.json';

/** What dev runs (Renovate keeps tag and digest current); prod runs the promoted image in ../release.json. */
const IMAGE =
  'ghcr.io/contoso/payments-api:2.0.1@sha256:0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9';

/** Payments: reads its PSP key from Key Vault with workload identity and calls orders-api. */
export default defineApp({
  name: 'payments-api',
  owners: ['@contoso/payments-team', 'payments-oncall@contoso.com'],
  deploy: ({ scope, cluster, app }) => {
    // It needs TLS up to its pods, which aks-gitops generates for AGIC and AGC only: an in-cluster
    // gateway (aks-stage-neu) would terminate TLS in front of it, so it is not deployed there.
    if (cluster.l7.kind === 'gateway-api' && cluster.l7.agc === undefined) return;
    const prod = cluster.environment === 'prod';
    new L7Api(scope, 'api', {
      image: promotedImage({ cluster, app }, IMAGE, release),
      port: 8443,
      // End-to-end TLS everywhere: AGIC re-encrypts with the trusted root, AGC through a BackendTLSPolicy.
      backendProtocol: 'https',
      routes: [{ host: prod ? 'pay.contoso.com' : 'pay.dev.contoso.com', paths: ['/payments'] }],
      replicas: prod ? 3 : 1,
      workloadIdentity: {
        clientId: prod ? '3c1f5a0e-7b2d-4c8e-9f10-2a3b4c5d6e7f' : '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b',
      },
      keyVaultSecrets: ['psp-api-key'],
      calls: ['orders-api'],
      // The payment service provider, reached through a private endpoint in the hub.
      egress: [{ cidr: '10.0.8.16/28', ports: [{ port: 443 }] }],
    });
  },
});

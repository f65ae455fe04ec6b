import { L7Api, defineApp, promotedImage } from '@aks-gitops/workloads';
import release from '../release.json';

/** What dev runs (Renovate keeps tag and digest current); prod runs the promoted image in ../release.json. */
const IMAGE =
  'ghcr.io/contoso/orders-api:1.4.2@sha256:5f0c3a1b9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b';

/** The orders API: on every cluster, autoscaled in production; payments-api may call it. */
export default defineApp({
  name: 'orders-api',
  owners: ['@contoso/orders-team'],
  deploy: ({ scope, cluster, app }) => {
    const prod = cluster.environment === 'prod';
    new L7Api(scope, 'api', {
      image: promotedImage({ cluster, app }, IMAGE, release),
      port: 8080,
      routes: [
        {
          host: prod
            ? 'orders.contoso.com'
            : cluster.environment === 'staging'
              ? 'orders.staging.contoso.com'
              : 'orders.dev.contoso.com',
          paths: ['/orders', '/carts'],
        },
      ],
      health: { readinessPath: '/healthz/ready', livenessPath: '/healthz/live' },
      ...(prod ? { autoscaling: { minReplicas: 3, maxReplicas: 12 } } : { replicas: 2 }),
      resources: { cpu: '250m', memory: '256Mi', memoryLimit: '512Mi' },
      config: { ORDERS_PAGE_SIZE: '60', LOG_FORMAT: 'json' },
      acceptCallsFrom: ['payments-api'], // consent: payments-api calls us (reviewed here)
    });
  },
});

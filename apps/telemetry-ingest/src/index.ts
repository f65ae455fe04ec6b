import { L4Service, defineApp, promotedImage } from '@aks-gitops/workloads';
import release from '../release.json';

/** What dev runs (Renovate keeps tag and digest current); prod runs the promoted image in ../release.json. */
const IMAGE =
  'ghcr.io/contoso/syslog-ingest:3.2.0@sha256:c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00';

/** Syslog ingest from the on-premises network: UDP 514 and TLS syslog on TCP 6514, private only. */
export default defineApp({
  name: 'telemetry-ingest',
  owners: ['@contoso/iot-team'],
  deploy: ({ scope, cluster, app }) => {
    new L4Service(scope, 'syslog', {
      image: promotedImage({ cluster, app }, IMAGE, release),
      ports: [
        { name: 'syslog-udp', port: 514, targetPort: 5514, protocol: 'UDP' },
        { name: 'syslog-tls', port: 6514, protocol: 'TCP' },
      ],
      exposure: { mode: 'private', allowedSources: ['192.168.0.0/20', '172.16.40.0/24'] },
      address: { offset: 20 },
      health: { readiness: { tcp: { port: 6514 } } },
      autoscaling: { minReplicas: 2, maxReplicas: 6 },
    });
  },
});

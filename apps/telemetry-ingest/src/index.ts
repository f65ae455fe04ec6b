import { L4Service, defineApp } from '@aks-gitops/workloads';

/** Syslog ingest from the on-premises network: UDP 514 and TLS syslog on TCP 6514, private only. */
export default defineApp({
  name: 'telemetry-ingest',
  owners: ['@contoso/iot-team'],
  deploy: ({ scope }) => {
    new L4Service(scope, 'syslog', {
      image: 'ghcr.io/contoso/syslog-ingest:3.2.0@sha256:c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00',
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

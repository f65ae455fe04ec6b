import { L4Service, defineApp, promotedImage } from '@aks-gitops/workloads';
import release from '../release.json';

/** What dev runs (Renovate keeps tag and digest current); prod runs the promoted image in ../release.json. */
const IMAGE =
  'docker.io/eclipse-mosquitto:2.0.20@sha256:7a3e5c1d9b8f6e4d2c0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e';

/** MQTT over TLS for field devices: public through the Azure Firewall, data on persistent volumes. */
export default defineApp({
  name: 'mqtt-broker',
  owners: ['@contoso/iot-team'],
  deploy: ({ scope, cluster, app }) => {
    const prod = cluster.environment === 'prod';
    new L4Service(scope, 'broker', {
      image: promotedImage({ cluster, app }, IMAGE, release),
      ports: [{ name: 'mqtts', port: 8883 }],
      exposure: { mode: 'public-via-firewall', sourceAddresses: ['*'] },
      address: { offset: 10 },
      replicas: prod ? 3 : 1,
      volumes: [
        {
          name: 'data',
          mountPath: '/mosquitto/data',
          size: prod ? '20Gi' : '5Gi',
          storageClassName: 'managed-csi-premium',
        },
      ],
      tcpIdleTimeoutMinutes: 30,
      resources: { cpu: '200m', memory: '256Mi', memoryLimit: '512Mi' },
    });
  },
});

import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';

/** AGC probe timing: every 5 s, 3 s timeout, out after 3 failures, back after 1 success (AGC defaults but the 30 s timeout). */
export const AGC_PROBE = { interval: '5s', timeout: '3s', healthyThreshold: 1, unhealthyThreshold: 3 } as const;

export function agcHealthCheckPolicy(
  scope: Construct,
  p: {
    name: string;
    ns: string;
    labels: Record<string, string>;
    readinessPath: string;
    port: number;
    protocol: 'http' | 'https';
  },
): ApiObject {
  // Without a HealthCheckPolicy AGC derives its probe from the pod readiness probe
  // (custom-health-probe: "order and logic of health probing"); stating it pins path, port and
  // status codes to what AGIC gets through its annotations, whatever the pod spec says later.
  return new ApiObject(scope, 'HealthCheckPolicy', {
    apiVersion: 'alb.networking.azure.io/v1',
    kind: 'HealthCheckPolicy',
    metadata: { name: p.name, namespace: p.ns, labels: p.labels },
    spec: {
      targetRef: { group: '', kind: 'Service', name: p.name, namespace: p.ns },
      default: {
        ...AGC_PROBE,
        port: p.port,
        http: { path: p.readinessPath, match: { statusCodes: [{ start: 200, end: 399 }] } },
        useTLS: p.protocol === 'https',
      },
    },
  });
}

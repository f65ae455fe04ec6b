import { k8s } from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import type { AgicProvider } from '@aks-gitops/cluster-model';
import type { L7Certificate } from './l7-api-props';
import type { ResolvedShutdown } from './shutdown';
import type { NormalizedRoute } from './validate-l7-api-props';

const AGIC = 'appgw.ingress.kubernetes.io/';

export interface RouteObjectProps {
  name: string;
  ns: string;
  labels: Record<string, string>;
  routes: NormalizedRoute[];
  servicePort: number;
}

export function agicIngress(
  scope: Construct,
  p: RouteObjectProps & {
    provider: AgicProvider;
    protocol: 'http' | 'https';
    readinessPath: string;
    port: number;
    waf?: string;
    certificate?: L7Certificate;
    shutdown: ResolvedShutdown;
  },
): k8s.KubeIngress {
  const annotations: Record<string, string> = {
    // Listener certificate installed on the App Gateway from Key Vault: no key material in the cluster.
    [`${AGIC}appgw-ssl-certificate`]: p.certificate?.name ?? p.provider.sslCertificate,
    [`${AGIC}ssl-redirect`]: 'true',
    [`${AGIC}backend-protocol`]: p.protocol,
    // AGIC probes pod IPs directly; probe the readiness endpoint so only ready pods get traffic.
    [`${AGIC}health-probe-path`]: p.readinessPath,
    [`${AGIC}health-probe-port`]: String(p.port),
    [`${AGIC}health-probe-status-codes`]: '200-399',
    // A pod removed from the backend pool keeps its in-flight requests for the drain time (AGIC
    // annotations; "minimize downtime during deployments"); the pod's preStop wait covers the lag
    // before App Gateway stops sending new ones.
    [`${AGIC}connection-draining`]: 'true',
    [`${AGIC}connection-draining-timeout`]: String(Math.max(1, p.shutdown.drainSeconds)),
  };
  if (p.protocol === 'https' && p.provider.trustedRootCertificate)
    annotations[`${AGIC}appgw-trusted-root-certificate`] = p.provider.trustedRootCertificate;
  if (p.waf) annotations[`${AGIC}waf-policy-for-path`] = p.waf;
  if (p.provider.usePrivateIp) annotations[`${AGIC}use-private-ip`] = 'true';
  return new k8s.KubeIngress(scope, 'Ingress', {
    metadata: { name: p.name, namespace: p.ns, labels: p.labels, annotations },
    spec: {
      ingressClassName: p.provider.ingressClassName ?? 'azure-application-gateway',
      rules: p.routes.map((r) => ({
        host: r.host,
        http: {
          paths: r.paths.map((path) => ({
            path,
            pathType: 'Prefix',
            backend: { service: { name: p.name, port: { number: p.servicePort } } },
          })),
        },
      })),
    },
  });
}

import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { AGC_GATEWAY_CLASS } from '@aks-gitops/cluster-model';
import { agcHealthCheckPolicy } from './agc-health-check-policy';
import { agicIngress } from './agic-ingress';
import { AppChart } from './app-chart';
import { syncBackendCa } from './backend-ca';
import { FieldErrors } from './errors';
import { httpRoute } from './http-route';
import { L7_API_PROPS, rejectUnknownProps } from './known-props';
import type { L7ApiProps } from './l7-api-props';
import { ipBlockPeer, ingressRule, namespacePodPeer } from './network-peers';
import { resolveShutdown } from './shutdown';
import { validateL7ApiProps } from './validate-l7-api-props';
import { ZeroTrustWorkload } from './zero-trust-workload';

export type { L7ApiProps, L7Certificate, L7Health, L7Route } from './l7-api-props';
export { AGC_PROBE } from './agc-health-check-policy';

/**
 * An HTTP API behind the cluster's WAF front door. The cluster's L7 provider decides the routing
 * objects (AGIC Ingress or Gateway API HTTPRoute); the app code is the same everywhere. TLS ends
 * at the gateway with a Key Vault certificate; pods admit traffic only from the gateway.
 */
export class L7Api extends Construct {
  readonly name: string;
  /**
   * The hardened pod and the objects around it (ServiceAccount, NetworkPolicy, PDB, HPA, ConfigMap,
   * SecretProviderClass): escape hatches for `addJsonPatch`; the policy gate still checks the result.
   */
  readonly pod: ZeroTrustWorkload;
  /** Escape hatch: the ClusterIP Service `<name>` the gateway routes to. */
  readonly service: k8s.KubeService;
  /** `KubeIngress` on agic clusters, an `HTTPRoute` ApiObject on gateway-api clusters. */
  readonly route: ApiObject;
  /** AGC only: the backend health probe built from the readiness endpoint. */
  readonly healthCheckPolicy?: ApiObject;
  /** AGC with `backendProtocol: 'https'`: TLS from the gateway to the pod. */
  readonly backendTlsPolicy?: ApiObject;

  /** Escape hatch: the Deployment `<name>` that runs the API's pods, for `addJsonPatch`. */
  get deployment(): k8s.KubeDeployment {
    const deployment = this.pod.deployment;
    if (!deployment) throw new Error(`internal: L7Api ${this.name} has no Deployment`);
    return deployment;
  }

  /** @deprecated renamed to `pod` (the Deployment itself is `deployment`). */
  get workload(): ZeroTrustWorkload {
    return this.pod;
  }

  constructor(scope: Construct, id: string, props: L7ApiProps) {
    super(scope, id);
    const chart = AppChart.containing(this);
    const name = props.name ?? chart.app;
    const errs = new FieldErrors(chart, `L7Api(${name})`);
    rejectUnknownProps('L7Api', props, L7_API_PROPS, errs);
    const provider = chart.cluster.l7;
    const { protocol, readinessPath, livenessPath, startupPath, routes, waf, certificate, backendServerName } =
      validateL7ApiProps(props, chart.cluster, errs);
    const frontDoor = provider.kind === 'agic' ? 'agic' : 'gateway';
    const shutdown = resolveShutdown(props.shutdown, frontDoor, chart.cluster, errs);

    const portName = protocol;
    const scheme = protocol === 'https' ? 'HTTPS' : 'HTTP';
    const source =
      provider.kind === 'gateway-api' && provider.gatewayPodLabels
        ? namespacePodPeer(provider.gateway.namespace, provider.gatewayPodLabels)
        : ipBlockPeer(chart.cluster.network.l7SourceCidr);
    this.pod = new ZeroTrustWorkload(this, 'Workload', {
      ...props,
      name,
      component: 'l7-api',
      fieldPrefix: `L7Api(${name})`,
      ports: [{ name: portName, port: props.port, protocol: 'TCP' }],
      readiness: { http: { path: readinessPath, scheme } },
      liveness: { http: { path: livenessPath, scheme } },
      ...(startupPath ? { startup: { http: { path: startupPath, scheme } } } : {}),
      // AGIC and AGC send traffic straight to pod IPs, from their subnet; nothing else may connect.
      ingress: [ingressRule([source], [{ port: props.port, protocol: 'TCP' }])],
      resolvedShutdown: shutdown,
    });
    this.name = name;
    const ns = this.pod.namespace;
    const labels = this.pod.labels;
    // AGIC rejects port 80 with https and 443 with http.
    const servicePort = protocol === 'https' ? 443 : 80;
    this.service = new k8s.KubeService(this, 'Service', {
      metadata: { name, namespace: ns, labels },
      spec: {
        type: 'ClusterIP',
        selector: this.pod.selector,
        ports: [
          {
            name: portName,
            port: servicePort,
            targetPort: k8s.IntOrString.fromString(portName),
            protocol: 'TCP',
            appProtocol: protocol,
          },
        ],
      },
    });

    const claimCertificate = certificate ? { name: certificate.name, dnsNames: [...certificate.dnsNames] } : undefined;
    routes.forEach((r, i) =>
      r.paths.forEach((p, j) =>
        chart.registry.registerRoute({
          app: chart.app,
          workload: name,
          host: r.host,
          path: p,
          field: `L7Api(${name}).routes[${i}].paths[${j}]`,
          ...(claimCertificate ? { certificate: claimCertificate } : {}),
          ...(waf ? { wafPolicyId: waf } : {}),
        }),
      ),
    );

    if (provider.kind === 'agic') {
      this.route = agicIngress(this, {
        name,
        ns,
        labels,
        provider,
        routes,
        servicePort,
        protocol,
        readinessPath,
        port: props.port,
        waf,
        certificate,
        shutdown,
      });
    } else {
      this.route = httpRoute(this, {
        name,
        ns,
        labels,
        provider,
        routes,
        servicePort,
        errs,
        ownCertificate: certificate !== undefined,
      });
      if (provider.gatewayClassName === AGC_GATEWAY_CLASS) {
        if (waf) {
          new ApiObject(this, 'WafPolicy', {
            apiVersion: 'alb.networking.azure.io/v1',
            kind: 'WebApplicationFirewallPolicy',
            metadata: { name, namespace: ns, labels },
            spec: {
              targetRef: { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name, namespace: ns },
              webApplicationFirewall: { id: waf },
            },
          });
        }
        this.healthCheckPolicy = agcHealthCheckPolicy(this, {
          name,
          ns,
          labels,
          readinessPath,
          port: props.port,
          protocol,
        });
        if (protocol === 'https' && provider.backendCa) {
          // AGC re-encrypts to the pod when a BackendTLSPolicy targets the Service (ALB Controller
          // API alb.networking.azure.io/v1, how-to-end-to-end-tls-gateway-api); its default probe
          // then switches to HTTPS too (custom-health-probe). `verify` makes it check the pod's
          // certificate against the CA synced from Key Vault (backend-ca.ts).
          const caSecret = syncBackendCa(this, this.workload, provider.backendCa);
          this.backendTlsPolicy = new ApiObject(this, 'BackendTlsPolicy', {
            apiVersion: 'alb.networking.azure.io/v1',
            kind: 'BackendTLSPolicy',
            metadata: { name, namespace: ns, labels },
            spec: {
              targetRef: { group: '', kind: 'Service', name, namespace: ns },
              default: {
                sni: backendServerName as string,
                ports: [{ port: servicePort }],
                verify: {
                  caCertificateRef: { group: '', kind: 'Secret', name: caSecret, namespace: ns },
                  subjectAltName: backendServerName as string,
                },
              },
            },
          });
        }
      }
    }
  }
}

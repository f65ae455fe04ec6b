import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  AGC_GATEWAY_CLASS,
  WAF_POLICY_ID,
  WAIVER_ANNOTATION_PREFIX,
  certificateCovers,
  clusterListenerCertificate,
  dnsNamesProblem,
  hostnameProblem,
  portProblem,
} from '@aks-gitops/cluster-model';
import type { AgicProvider, GatewayApiProvider } from '@aks-gitops/cluster-model';
import { AppChart } from './app-chart';
import { syncBackendCa } from './backend-ca';
import { FieldErrors } from './errors';
import { ipBlockPeer, ingressRule, namespacePodPeer } from './network-peers';
import { hostListenerName } from './listener-names';
import { resolveShutdown, type ResolvedShutdown } from './shutdown';
import type { WorkloadProps } from './workload-props';
import { ZeroTrustWorkload } from './zero-trust-workload';
import { L7_API_PROPS, rejectUnknownProps } from './known-props';

export interface L7Route {
  /** Fully qualified hostname, e.g. `orders.contoso.com`. */
  readonly host: string;
  /** Path prefixes routed to this API. Default `['/']`. */
  readonly paths?: readonly string[];
}

export interface L7Health {
  /** Readiness endpoint; also the App Gateway health probe path. Default `/readyz`. */
  readonly readinessPath?: string;
  /** Liveness endpoint. Default `/livez`. */
  readonly livenessPath?: string;
  /** Startup endpoint for slow starters. Default: none. */
  readonly startupPath?: string;
}

export interface L7ApiProps extends WorkloadProps {
  /** The container port the API listens on. */
  readonly port: number;
  /** Hostnames and path prefixes. A host+path may belong to only one API per cluster. */
  readonly routes: readonly L7Route[];
  readonly health?: L7Health;
  /**
   * `https` re-encrypts from the gateway to the pod (end-to-end TLS) and verifies the pod's
   * certificate: AGIC against the cluster's `l7.trustedRootCertificate`, AGC against the CA of
   * `l7.backendCa` (synced into the Secret `<api>-backend-ca`). Default `http`.
   */
  readonly backendProtocol?: 'http' | 'https';
  /** WAF policy resource ID for this API's paths. Default: the cluster's WAF policy. */
  readonly wafPolicyId?: string;
  /**
   * This API's own listener certificate instead of the cluster's, for hosts the cluster certificate
   * does not cover. AGIC: `name` is the certificate installed on the App Gateway from Key Vault
   * (`appgw-ssl-certificate`). Gateway API: `name` is a certificate in the cluster's Key Vault; the
   * baseline syncs it (with the gateway TLS identity, which needs read access to it) into a Secret
   * beside the shared Gateway and adds an HTTPS listener per host that presents it.
   * @default the cluster's listener certificate
   */
  readonly certificate?: L7Certificate;
  /**
   * `backendProtocol: 'https'` on Application Gateway for Containers: the server name (SNI) the
   * gateway sends to the pod and the name its certificate must carry (BackendTLSPolicy `sni` and
   * `verify.subjectAltName`).
   * @default the first route host that is not a wildcard
   */
  readonly backendServerName?: string;
}

export interface L7Certificate {
  readonly name: string;
  /** The DNS names it covers (exact, or single-label `*.` wildcards); every route host must be one of them. */
  readonly dnsNames: readonly string[];
}

const AGIC = 'appgw.ingress.kubernetes.io/';
const PATH = /^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/;

/**
 * An HTTP API behind the cluster's WAF front door. The cluster's L7 provider decides the routing
 * objects (AGIC Ingress or Gateway API HTTPRoute); the app code is the same everywhere. TLS ends
 * at the gateway with a Key Vault certificate; pods admit traffic only from the gateway.
 */
export class L7Api extends Construct {
  readonly name: string;
  readonly workload: ZeroTrustWorkload;
  readonly service: k8s.KubeService;
  /** `KubeIngress` on agic clusters, an `HTTPRoute` ApiObject on gateway-api clusters. */
  readonly route: ApiObject;
  /** AGC only: the backend health probe built from the readiness endpoint. */
  readonly healthCheckPolicy?: ApiObject;
  /** AGC with `backendProtocol: 'https'`: TLS from the gateway to the pod. */
  readonly backendTlsPolicy?: ApiObject;

  constructor(scope: Construct, id: string, props: L7ApiProps) {
    super(scope, id);
    const chart = AppChart.containing(this);
    const name = props.name ?? chart.app;
    const errs = new FieldErrors(chart, `L7Api(${name})`);
    rejectUnknownProps('L7Api', props, L7_API_PROPS, errs);
    const provider = chart.cluster.l7;
    errs.check('port', portProblem(props.port), 'use the container port the API listens on (1-65535)');
    const protocol = props.backendProtocol ?? 'http';
    if (protocol !== 'http' && protocol !== 'https')
      throw errs.error('backendProtocol', `${JSON.stringify(protocol)} is not http or https`, 'use "http" or "https"');
    const health = props.health ?? {};
    const readinessPath = health.readinessPath ?? '/readyz';
    const livenessPath = health.livenessPath ?? '/livez';
    for (const [f, p] of [
      ['readinessPath', readinessPath],
      ['livenessPath', livenessPath],
      ['startupPath', health.startupPath],
    ] as const) {
      if (p !== undefined && (typeof p !== 'string' || !PATH.test(p)))
        throw errs.error(
          `health.${f}`,
          `${JSON.stringify(p)} does not start with "/"`,
          'write an absolute path such as "/readyz"',
        );
    }
    const routes = validateRoutes(props.routes, errs);
    const waf = props.wafPolicyId ?? provider.wafPolicyId;
    if (props.wafPolicyId !== undefined && !WAF_POLICY_ID.test(props.wafPolicyId)) {
      throw errs.error(
        'wafPolicyId',
        `${JSON.stringify(props.wafPolicyId)} is not a WAF policy resource ID`,
        'use /subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/<name>',
      );
    }
    if (
      props.wafPolicyId !== undefined &&
      provider.kind === 'gateway-api' &&
      provider.gatewayClassName !== AGC_GATEWAY_CLASS
    ) {
      throw errs.error(
        'wafPolicyId',
        `cannot attach to gateway class "${provider.gatewayClassName}" on cluster ${chart.cluster.name}; only Application Gateway for Containers takes per-route WAF policies`,
        'drop wafPolicyId for this cluster (skip it when ctx.cluster.l7 is not AGC)',
      );
    }
    if (protocol === 'https') {
      if (provider.kind === 'agic' && !provider.trustedRootCertificate) {
        throw errs.error(
          'backendProtocol',
          `is https but cluster ${chart.cluster.name} names no App Gateway trusted root certificate`,
          'set l7.trustedRootCertificate on the cluster spec, or use backendProtocol "http"',
        );
      }
      if (provider.kind === 'gateway-api' && provider.gatewayClassName === AGC_GATEWAY_CLASS && !provider.backendCa) {
        throw errs.error(
          'backendProtocol',
          `is https but cluster ${chart.cluster.name} names no backend CA (l7.backendCa), so Application Gateway for Containers would encrypt to the pod without verifying its certificate`,
          'set l7.backendCa { certificateName, clientId } on the cluster spec (the Key Vault certificate of the CA that signs the pods\' certificates), or use backendProtocol "http"',
        );
      }
      if (provider.kind === 'gateway-api' && provider.gatewayClassName !== AGC_GATEWAY_CLASS) {
        throw errs.error(
          'backendProtocol',
          `https backends are generated for Application Gateway for Containers only (alb.networking.azure.io BackendTLSPolicy); gateway class "${provider.gatewayClassName}" on cluster ${chart.cluster.name} has its own backend TLS API`,
          'use backendProtocol "http" on this cluster: TLS still terminates at the gateway',
        );
      }
    }
    const certificate = validateCertificate(props.certificate, provider.kind === 'gateway-api', errs);
    const listenerCertificate = certificate ?? clusterListenerCertificate(chart.cluster);
    routes.forEach((r, i) => {
      if (!certificateCovers(listenerCertificate.dnsNames, r.host)) {
        throw errs.error(
          `routes[${i}].host`,
          `${r.host} is not covered by the listener certificate "${listenerCertificate.name}" (${certificate ? "this API's own certificate" : `cluster ${chart.cluster.name}'s`}, DNS names ${listenerCertificate.dnsNames.join(', ')}), so clients would get a certificate error`,
          certificate
            ? 'add the host to the certificate and to certificate.dnsNames, or route a covered host'
            : 'route a host the cluster certificate covers, or give this API its own certificate: { name, dnsNames } from Key Vault',
        );
      }
    });
    if (props.backendServerName !== undefined) {
      errs.check(
        'backendServerName',
        hostnameProblem(props.backendServerName),
        'use the DNS name in the pod\'s certificate, e.g. "orders.contoso.com"',
      );
      if (protocol !== 'https')
        throw errs.error(
          'backendServerName',
          'is set but backendProtocol is not https',
          'drop backendServerName, or set backendProtocol "https"',
        );
    }
    // SNI names one server: a wildcard route host cannot be it.
    const backendServerName = props.backendServerName ?? routes.find((r) => !r.host.startsWith('*.'))?.host;
    if (protocol === 'https' && provider.kind === 'gateway-api' && backendServerName === undefined) {
      throw errs.error(
        'backendServerName',
        'is needed: every route host is a wildcard, which cannot be the server name (SNI) sent to the pod',
        "set backendServerName to the DNS name in the pod's certificate",
      );
    }
    const frontDoor = provider.kind === 'agic' ? 'agic' : 'gateway';
    const shutdown = resolveShutdown(props.shutdown, frontDoor, chart.cluster, errs);

    const portName = protocol;
    const scheme = protocol === 'https' ? 'HTTPS' : 'HTTP';
    const source =
      provider.kind === 'gateway-api' && provider.gatewayPodLabels
        ? namespacePodPeer(provider.gateway.namespace, provider.gatewayPodLabels)
        : ipBlockPeer(chart.cluster.network.l7SourceCidr);
    this.workload = new ZeroTrustWorkload(this, 'Workload', {
      ...props,
      name,
      component: 'l7-api',
      fieldPrefix: `L7Api(${name})`,
      ports: [{ name: portName, port: props.port, protocol: 'TCP' }],
      readiness: { http: { path: readinessPath, scheme } },
      liveness: { http: { path: livenessPath, scheme } },
      ...(health.startupPath ? { startup: { http: { path: health.startupPath, scheme } } } : {}),
      // AGIC and AGC send traffic straight to pod IPs, from their subnet; nothing else may connect.
      ingress: [ingressRule([source], [{ port: props.port, protocol: 'TCP' }])],
      resolvedShutdown: shutdown,
    });
    this.name = name;
    const ns = this.workload.namespace;
    const labels = this.workload.labels;
    // AGIC rejects port 80 with https and 443 with http.
    const servicePort = protocol === 'https' ? 443 : 80;
    this.service = new k8s.KubeService(this, 'Service', {
      metadata: { name, namespace: ns, labels },
      spec: {
        type: 'ClusterIP',
        selector: this.workload.selector,
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
        chart.registry.routes.push({
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

/** AGC probe timing: every 5 s, 3 s timeout, out after 3 failures, back after 1 success (AGC defaults but the 30 s timeout). */
export const AGC_PROBE = { interval: '5s', timeout: '3s', healthyThreshold: 1, unhealthyThreshold: 3 } as const;

function agcHealthCheckPolicy(
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

function validateCertificate(
  c: L7Certificate | undefined,
  keyVaultName: boolean,
  errs: FieldErrors,
): L7Certificate | undefined {
  if (c === undefined) return undefined;
  if (!c || typeof c !== 'object')
    throw errs.error(
      'certificate',
      `${JSON.stringify(c)} is not { name, dnsNames }`,
      'write certificate: { name: "orders-contoso-com", dnsNames: ["orders.contoso.com"] }',
    );
  const nameOk =
    typeof c.name === 'string' &&
    (keyVaultName ? /^[A-Za-z0-9-]{1,127}$/ : /^[A-Za-z0-9][A-Za-z0-9._()-]{0,88}[A-Za-z0-9_)]$/).test(c.name);
  if (!nameOk)
    throw errs.error(
      'certificate.name',
      `${JSON.stringify(c.name)} is not a ${keyVaultName ? 'Key Vault certificate' : 'App Gateway certificate'} name`,
      keyVaultName
        ? "name the certificate in the cluster's Key Vault (letters, digits, dashes)"
        : 'name the certificate installed on the App Gateway from Key Vault',
    );
  errs.check(
    'certificate.dnsNames',
    dnsNamesProblem(c.dnsNames),
    'list the DNS names (SANs) of the certificate, e.g. ["orders.contoso.com"]',
  );
  return c;
}

interface NormalizedRoute {
  host: string;
  paths: string[];
}

function validateRoutes(routes: readonly L7Route[] | undefined, errs: FieldErrors): NormalizedRoute[] {
  if (!Array.isArray(routes) || routes.length === 0)
    throw errs.error(
      'routes',
      'is empty',
      'route at least one host, e.g. routes: [{ host: "orders.contoso.com", paths: ["/orders"] }]',
    );
  const seen = new Set<string>();
  return routes.map((r, i) => {
    errs.check(
      `routes[${i}].host`,
      hostnameProblem(r?.host),
      'use a lowercase fully qualified hostname such as "orders.contoso.com"',
    );
    const paths = r.paths ?? ['/'];
    if (!Array.isArray(paths) || paths.length === 0)
      throw errs.error(`routes[${i}].paths`, 'is empty', 'omit paths to route "/", or list path prefixes');
    paths.forEach((p, j) => {
      if (typeof p !== 'string' || !PATH.test(p))
        throw errs.error(
          `routes[${i}].paths[${j}]`,
          `${JSON.stringify(p)} is not a path prefix starting with "/"`,
          'write e.g. "/orders"',
        );
      const key = `${r.host}${p}`;
      if (seen.has(key))
        throw errs.error(`routes[${i}].paths[${j}]`, `${r.host}${p} is listed twice`, 'list each host and path once');
      seen.add(key);
    });
    return { host: r.host, paths: [...paths] };
  });
}

interface RouteObjectProps {
  name: string;
  ns: string;
  labels: Record<string, string>;
  routes: NormalizedRoute[];
  servicePort: number;
}

function agicIngress(
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

/** Policy rules that require a WAF per route; an in-cluster gateway behind an external WAF waives them. */
const WAF_RULES = ['l7-waf', 'l7-waf-in-prod'] as const;

function httpRoute(
  scope: Construct,
  p: RouteObjectProps & { provider: GatewayApiProvider; errs: FieldErrors; ownCertificate: boolean },
): ApiObject {
  const g = p.provider.gateway;
  // An HTTPRoute's hostnames apply to all of its rules, so one route can only serve hosts that
  // share the same paths; otherwise a path meant for one host would open on the others.
  const paths = p.routes[0].paths;
  const samePaths = (a: string[], b: string[]) =>
    a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
  const odd = p.routes.findIndex((r) => !samePaths(r.paths, paths));
  if (odd >= 0) {
    throw p.errs.error(
      `routes[${odd}].paths`,
      'differs from the paths of routes[0]; on gateway-api clusters all hosts of one L7Api share one HTTPRoute',
      'give every host the same paths, or declare a second L7Api for the other host',
    );
  }
  return new ApiObject(scope, 'HttpRoute', {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: {
      name: p.name,
      namespace: p.ns,
      labels: p.labels,
      ...(p.provider.externalWaf && p.provider.gatewayClassName !== AGC_GATEWAY_CLASS
        ? {
            annotations: Object.fromEntries(
              WAF_RULES.map((rule) => [`${WAIVER_ANNOTATION_PREFIX}${rule}`, p.provider.externalWaf?.reason ?? '']),
            ),
          }
        : {}),
    },
    spec: {
      // sectionName pins the route to the HTTPS listener: it can never attach to plain HTTP.
      // With its own certificate each host has its own listener on the shared Gateway (named after the host).
      parentRefs: p.ownCertificate
        ? [...new Set(p.routes.map((r) => r.host))].map((host) => ({
            group: 'gateway.networking.k8s.io',
            kind: 'Gateway',
            namespace: g.namespace,
            name: g.name,
            sectionName: hostListenerName(host),
          }))
        : [
            {
              group: 'gateway.networking.k8s.io',
              kind: 'Gateway',
              namespace: g.namespace,
              name: g.name,
              sectionName: g.listener,
            },
          ],
      hostnames: [...new Set(p.routes.map((r) => r.host))],
      rules: [
        {
          matches: paths.map((path) => ({ path: { type: 'PathPrefix', value: path } })),
          backendRefs: [{ name: p.name, port: p.servicePort }],
        },
      ],
    },
  });
}

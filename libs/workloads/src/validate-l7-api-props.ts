import {
  AGC_GATEWAY_CLASS,
  WAF_POLICY_ID,
  certificateCovers,
  clusterListenerCertificate,
  dnsNamesProblem,
  hostnameProblem,
  portProblem,
} from '@aks-gitops/cluster-model';
import type { ClusterSpec } from '@aks-gitops/cluster-model';
import type { FieldErrors } from './errors';
import type { L7ApiProps, L7Certificate, L7Route } from './l7-api-props';

const PATH = /^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/;

/** An L7Api's props, checked against the cluster, with their defaults filled in. */
export interface CheckedL7Api {
  readonly protocol: 'http' | 'https';
  readonly readinessPath: string;
  readonly livenessPath: string;
  readonly startupPath?: string;
  readonly routes: NormalizedRoute[];
  /** The WAF policy of its routes: its own, or the cluster's. */
  readonly waf?: string;
  /** Its own listener certificate, if any. */
  readonly certificate?: L7Certificate;
  /** The server name (SNI) sent to an https backend. */
  readonly backendServerName?: string;
}

/** Checks an L7Api's props against the cluster it is declared on; throws the first ConfigError. */
export function validateL7ApiProps(props: L7ApiProps, cluster: ClusterSpec, errs: FieldErrors): CheckedL7Api {
  const provider = cluster.l7;
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
      `cannot attach to gateway class "${provider.gatewayClassName}" on cluster ${cluster.name}; only Application Gateway for Containers takes per-route WAF policies`,
      'drop wafPolicyId for this cluster (skip it when ctx.cluster.l7 is not AGC)',
    );
  }
  if (protocol === 'https') {
    if (provider.kind === 'agic' && !provider.trustedRootCertificate) {
      throw errs.error(
        'backendProtocol',
        `is https but cluster ${cluster.name} names no App Gateway trusted root certificate`,
        'set l7.trustedRootCertificate on the cluster spec, or use backendProtocol "http"',
      );
    }
    if (provider.kind === 'gateway-api' && provider.gatewayClassName === AGC_GATEWAY_CLASS && !provider.backendCa) {
      throw errs.error(
        'backendProtocol',
        `is https but cluster ${cluster.name} names no backend CA (l7.backendCa), so Application Gateway for Containers would encrypt to the pod without verifying its certificate`,
        'set l7.backendCa { certificateName, clientId } on the cluster spec (the Key Vault certificate of the CA that signs the pods\' certificates), or use backendProtocol "http"',
      );
    }
    if (provider.kind === 'gateway-api' && provider.gatewayClassName !== AGC_GATEWAY_CLASS) {
      throw errs.error(
        'backendProtocol',
        `https backends are generated for Application Gateway for Containers only (alb.networking.azure.io BackendTLSPolicy); gateway class "${provider.gatewayClassName}" on cluster ${cluster.name} has its own backend TLS API`,
        'use backendProtocol "http" on this cluster: TLS still terminates at the gateway',
      );
    }
  }
  const certificate = validateCertificate(props.certificate, provider.kind === 'gateway-api', errs);
  const listenerCertificate = certificate ?? clusterListenerCertificate(cluster);
  routes.forEach((r, i) => {
    if (!certificateCovers(listenerCertificate.dnsNames, r.host)) {
      throw errs.error(
        `routes[${i}].host`,
        `${r.host} is not covered by the listener certificate "${listenerCertificate.name}" (${certificate ? "this API's own certificate" : `cluster ${cluster.name}'s`}, DNS names ${listenerCertificate.dnsNames.join(', ')}), so clients would get a certificate error`,
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
  return {
    protocol,
    readinessPath,
    livenessPath,
    startupPath: health.startupPath,
    routes,
    waf,
    certificate,
    backendServerName,
  };
}

export function validateCertificate(
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

export interface NormalizedRoute {
  host: string;
  paths: string[];
}

export function validateRoutes(routes: readonly L7Route[] | undefined, errs: FieldErrors): NormalizedRoute[] {
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

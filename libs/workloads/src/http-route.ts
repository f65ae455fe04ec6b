import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { AGC_GATEWAY_CLASS, WAIVER_ANNOTATION_PREFIX } from '@aks-gitops/cluster-model';
import type { GatewayApiProvider } from '@aks-gitops/cluster-model';
import type { RouteObjectProps } from './agic-ingress';
import type { FieldErrors } from './errors';
import { hostListenerName } from './listener-names';

/** Policy rules that require a WAF per route; an in-cluster gateway behind an external WAF waives them. */
const WAF_RULES = ['l7-waf', 'l7-waf-in-prod'] as const;

export function httpRoute(
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

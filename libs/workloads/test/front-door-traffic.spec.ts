/**
 * What an API or L4 service needs for traffic to flow through its front door on a real cluster:
 * AGC parity with AGIC (backend TLS, health probe from the readiness path), certificates that
 * cover the hosts, rollouts that drop no requests, and prerequisites stated as errors.
 */
import { APP_ALLOWED_KINDS } from '@aks-gitops/cluster-model';
import type { ClusterSpec } from '@aks-gitops/cluster-model';
import { L4Service, L7Api } from '../src';
import type { AppContext, L4ServiceProps, L7ApiProps } from '../src';
import { IN_CLUSTER_GATEWAY } from './support/clusters';
import { DEV, PROD, declare, declareOne, expectConfigError } from './support/harness';

const image = 'ghcr.io/contoso/app:1.0.0';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;
const edited = (base: ClusterSpec, patch: (c: Loose) => void): ClusterSpec => {
  const c = JSON.parse(JSON.stringify(base)) as Loose;
  patch(c);
  return c as ClusterSpec;
};
const api =
  (props: Partial<L7ApiProps> = {}) =>
  ({ scope }: AppContext) =>
    new L7Api(scope, 'api', { image, port: 8443, routes: [{ host: 'pay.contoso.com' }], ...props });
const pod = (out: ReturnType<typeof declare>, name: string) => out.get('Deployment', name).spec.template.spec;

describe('AGC parity with AGIC', () => {
  it('https backends get a BackendTLSPolicy on the Service (sni defaults to the first host, overridable)', () => {
    const out = declareOne(DEV, 'payments', api({ backendProtocol: 'https', health: { readinessPath: '/ready' } }));
    expect(out.get('BackendTLSPolicy', 'payments')).toEqual({
      apiVersion: 'alb.networking.azure.io/v1',
      kind: 'BackendTLSPolicy',
      metadata: expect.objectContaining({ name: 'payments', namespace: 'payments' }),
      spec: {
        targetRef: { group: '', kind: 'Service', name: 'payments', namespace: 'payments' },
        default: {
          sni: 'pay.contoso.com',
          ports: [{ port: 443 }],
          verify: {
            caCertificateRef: { group: '', kind: 'Secret', name: 'payments-backend-ca', namespace: 'payments' },
            subjectAltName: 'pay.contoso.com',
          },
        },
      },
    });
    const named = declareOne(
      DEV,
      'payments',
      api({ backendProtocol: 'https', backendServerName: 'payments.internal.contoso.com' }),
    );
    expect(named.get('BackendTLSPolicy', 'payments').spec.default.sni).toBe('payments.internal.contoso.com');
  });

  it('wildcard-only hosts need an explicit server name for SNI', () => {
    expectConfigError(
      () => declareOne(DEV, 'payments', api({ backendProtocol: 'https', routes: [{ host: '*.contoso.com' }] })),
      {
        cluster: 'aks-dev-weu',
        app: 'payments',
        field: 'L7Api(payments).backendServerName',
        problem: 'every route host is a wildcard',
      },
    );
  });

  it('every AGC API gets a HealthCheckPolicy from its readiness path and container port', () => {
    const out = declareOne(DEV, 'payments', api({ health: { readinessPath: '/healthz/ready' } }));
    expect(out.get('HealthCheckPolicy', 'payments').spec).toEqual({
      targetRef: { group: '', kind: 'Service', name: 'payments', namespace: 'payments' },
      default: {
        interval: '5s',
        timeout: '3s',
        healthyThreshold: 1,
        unhealthyThreshold: 3,
        port: 8443,
        http: { path: '/healthz/ready', match: { statusCodes: [{ start: 200, end: 399 }] } },
        useTLS: false,
      },
    });
    expect(out.find('BackendTLSPolicy', 'payments')).toBeUndefined();
  });

  it('the health check uses TLS when the backend does', () => {
    expect(
      declareOne(DEV, 'payments', api({ backendProtocol: 'https' })).get('HealthCheckPolicy', 'payments').spec.default
        .useTLS,
    ).toBe(true);
  });

  it('both kinds are in the tenancy contract an app may emit', () => {
    expect(APP_ALLOWED_KINDS).toEqual(
      expect.arrayContaining([
        { group: 'alb.networking.azure.io', kind: 'HealthCheckPolicy', resource: 'healthcheckpolicies' },
        { group: 'alb.networking.azure.io', kind: 'BackendTLSPolicy', resource: 'backendtlspolicies' },
      ]),
    );
  });

  it('an in-cluster gateway behind an external WAF: its routes carry the waiver with the reason', () => {
    const cluster = edited(IN_CLUSTER_GATEWAY, (c) => {
      delete c.l7.wafPolicyId;
      c.l7.externalWaf = { reason: 'Front Door WAF in front of the gateway LB' };
    });
    const route = declareOne(cluster, 'payments', api()).get('HTTPRoute', 'payments');
    expect(route.metadata.annotations).toEqual({
      'waivers.aks-gitops.io/l7-waf': 'Front Door WAF in front of the gateway LB',
      'waivers.aks-gitops.io/l7-waf-in-prod': 'Front Door WAF in front of the gateway LB',
    });
  });
});

describe('certificates cover the hosts they serve', () => {
  it('a host the cluster certificate does not cover is an error naming the host, app, cluster and certificate', () => {
    expectConfigError(() => declareOne(PROD, 'payments', api({ routes: [{ host: 'pay.fabrikam.com' }] })), {
      cluster: 'aks-prod-weu',
      app: 'payments',
      field: 'L7Api(payments).routes[0].host',
      problem:
        'pay.fabrikam.com is not covered by the listener certificate "wildcard-contoso-com" (cluster aks-prod-weu\'s, DNS names *.contoso.com)',
    });
  });

  it('a wildcard covers one label only', () => {
    expectConfigError(() => declareOne(PROD, 'payments', api({ routes: [{ host: 'eu.pay.contoso.com' }] })), {
      cluster: 'aks-prod-weu',
      app: 'payments',
      field: 'L7Api(payments).routes[0].host',
      problem: 'eu.pay.contoso.com is not covered',
    });
  });

  it("AGIC: an API's own certificate becomes its appgw-ssl-certificate, and must cover its hosts", () => {
    const out = declareOne(
      PROD,
      'payments',
      api({
        routes: [{ host: 'pay.fabrikam.com' }],
        certificate: { name: 'pay-fabrikam-com', dnsNames: ['pay.fabrikam.com'] },
      }),
    );
    expect(
      out.get('Ingress', 'payments').metadata.annotations['appgw.ingress.kubernetes.io/appgw-ssl-certificate'],
    ).toBe('pay-fabrikam-com');
    expectConfigError(
      () =>
        declareOne(
          PROD,
          'payments',
          api({
            routes: [{ host: 'pay.fabrikam.com' }],
            certificate: { name: 'other', dnsNames: ['other.fabrikam.com'] },
          }),
        ),
      {
        cluster: 'aks-prod-weu',
        app: 'payments',
        field: 'L7Api(payments).routes[0].host',
        problem: 'is not covered by the listener certificate "other" (this API\'s own certificate',
      },
    );
  });

  it('two APIs on one host must present the same certificate', () => {
    expectConfigError(
      () =>
        declare(PROD, {
          a: ({ scope }) =>
            new L7Api(scope, 'api', { image, port: 8080, routes: [{ host: 'shop.contoso.com', paths: ['/a'] }] }),
          b: ({ scope }) =>
            new L7Api(scope, 'api', {
              image,
              port: 8080,
              routes: [{ host: 'shop.contoso.com', paths: ['/b'] }],
              certificate: { name: 'shop', dnsNames: ['shop.contoso.com'] },
            }),
        }),
      {
        cluster: 'aks-prod-weu',
        app: 'b',
        field: 'L7Api(b).routes[0].paths[0]',
        problem:
          'host shop.contoso.com is served with its own certificate "shop", but a/a serves the same host with the cluster\'s listener certificate',
      },
    );
  });
});

describe('rollouts without 5xx', () => {
  it('AGIC: connection draining on the Ingress, a 90 s sleep preStop and a grace period beyond preStop + drain', () => {
    const out = declareOne(PROD, 'payments', api());
    const a = out.get('Ingress', 'payments').metadata.annotations;
    expect([
      a['appgw.ingress.kubernetes.io/connection-draining'],
      a['appgw.ingress.kubernetes.io/connection-draining-timeout'],
    ]).toEqual(['true', '30']);
    expect(pod(out, 'payments').containers[0].lifecycle).toEqual({ preStop: { sleep: { seconds: 90 } } });
    expect(pod(out, 'payments').terminationGracePeriodSeconds).toBe(125);
  });

  it('AGC: a 30 s preStop, grace 65 s', () => {
    const out = declareOne(DEV, 'payments', api());
    expect(pod(out, 'payments').containers[0].lifecycle).toEqual({ preStop: { sleep: { seconds: 30 } } });
    expect(pod(out, 'payments').terminationGracePeriodSeconds).toBe(65);
  });

  it('L4 behind the load balancer: 15 s preStop (5 s probe x 2 failures, plus margin), grace 50 s, on Deployments and StatefulSets', () => {
    const l4: L4ServiceProps = {
      image,
      ports: [{ name: 'pg', port: 5432 }],
      exposure: { mode: 'private', allowedSources: ['192.168.0.0/24'] },
      address: { offset: 10 },
    };
    const dep = declareOne(DEV, 'db', ({ scope }) => new L4Service(scope, 'db', l4));
    expect(pod(dep, 'db').containers[0].lifecycle).toEqual({ preStop: { sleep: { seconds: 15 } } });
    expect(pod(dep, 'db').terminationGracePeriodSeconds).toBe(50);
    const sts = declareOne(
      DEV,
      'db',
      ({ scope }) =>
        new L4Service(scope, 'db', { ...l4, volumes: [{ name: 'data', mountPath: '/data', size: '1Gi' }] }),
    );
    expect(sts.get('StatefulSet', 'db').spec.template.spec.containers[0].lifecycle).toEqual({
      preStop: { sleep: { seconds: 15 } },
    });
  });

  it('overridable with a reason, recorded on the workload', () => {
    const out = declareOne(
      PROD,
      'payments',
      api({ shutdown: { preStopSeconds: 20, drainSeconds: 10, reason: 'stateless, clients retry' } }),
    );
    expect(pod(out, 'payments').terminationGracePeriodSeconds).toBe(35);
    expect(
      out.get('Ingress', 'payments').metadata.annotations['appgw.ingress.kubernetes.io/connection-draining-timeout'],
    ).toBe('10');
    expect(out.get('Deployment', 'payments').metadata.annotations['aks-gitops.io/shutdown-reason']).toBe(
      'stateless, clients retry',
    );
  });

  it('a shorter preStop without a reason is an error', () => {
    expectConfigError(() => declareOne(PROD, 'payments', api({ shutdown: { preStopSeconds: 5 } })), {
      cluster: 'aks-prod-weu',
      app: 'payments',
      field: 'L7Api(payments).shutdown.preStopSeconds',
      problem: '5 is below the default 90 s for this front door (agic)',
    });
  });

  it('Kubernetes 1.29 has no sleep action: an exec preStop the image contains, or an error that says so', () => {
    const old = edited(PROD, (c) => {
      c.name = 'aks-old';
      c.kubernetesVersion = '1.29';
    });
    expectConfigError(() => declareOne(old, 'payments', api()), {
      cluster: 'aks-old',
      app: 'payments',
      field: 'L7Api(payments).shutdown.preStopCommand',
      problem: 'which has no sleep lifecycle action (beta from 1.30)',
    });
    const out = declareOne(old, 'payments', api({ shutdown: { preStopCommand: ['/bin/sleep', '90'] } }));
    expect(pod(out, 'payments').containers[0].lifecycle).toEqual({
      preStop: { exec: { command: ['/bin/sleep', '90'] } },
    });
    expectConfigError(() => declareOne(PROD, 'payments', api({ shutdown: { preStopCommand: ['/bin/sleep', '90'] } })), {
      cluster: 'aks-prod-weu',
      app: 'payments',
      field: 'L7Api(payments).shutdown.preStopCommand',
      problem: 'which has the sleep lifecycle action',
    });
  });
});

describe('Private Link Service prerequisites', () => {
  it('a cluster whose ILB subnet does not declare privateLinkServiceNetworkPolicies Disabled rejects privateLink with the reason', () => {
    const cluster = edited(
      DEV,
      (c) => delete c.network.internalLoadBalancerSubnet.privateLinkServiceNetworkPoliciesDisabled,
    );
    expectConfigError(
      () =>
        declareOne(
          cluster,
          'db',
          ({ scope }) =>
            new L4Service(scope, 'db', {
              image,
              ports: [{ name: 'pg', port: 5432 }],
              exposure: { mode: 'private', allowedSources: ['192.168.0.0/24'] },
              address: { offset: 10 },
              privateLink: {},
            }),
        ),
      {
        cluster: 'aks-dev-weu',
        app: 'db',
        field: 'L4Service(db).privateLink',
        problem:
          "needs the NAT subnet snet-ilb (the cluster's ILB subnet) to have privateLinkServiceNetworkPolicies: Disabled",
      },
    );
  });
});

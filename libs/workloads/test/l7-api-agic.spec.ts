/**
 * L7Api on an AGIC cluster (aks-prod-weu): the API team writes a few lines, the cluster gets an
 * Ingress for Application Gateway with TLS, WAF and probes, and a NetworkPolicy that admits only
 * the App Gateway subnet.
 */
import { L7Api } from '../src';
import type { L7ApiProps } from '../src';
import { AGIC_BARE, AGIC_CUSTOM_CLASS, AGIC_PRIVATE, APP_WAF, PROD_WAF } from './support/clusters';
import { PROD, declareOne } from './support/harness';

const AGIC = 'appgw.ingress.kubernetes.io/';

const orders: L7ApiProps = {
  image: 'ghcr.io/contoso/orders-api:1.4.2',
  port: 8080,
  routes: [{ host: 'orders.contoso.com', paths: ['/orders', '/carts'] }],
  health: { readinessPath: '/healthz/ready', livenessPath: '/healthz/live' },
};

describe('L7Api on an agic cluster', () => {
  describe('a plain http API with two paths', () => {
    const out = declareOne(PROD, 'orders-api', ({ scope }) => new L7Api(scope, 'api', orders));
    const ingress = out.get('Ingress', 'orders-api', 'orders-api');

    it('creates exactly the objects of one API', () => {
      expect(out.inventory('orders-api')).toEqual([
        'Deployment/orders-api/orders-api',
        'Ingress/orders-api/orders-api',
        'NetworkPolicy/orders-api/orders-api',
        'PodDisruptionBudget/orders-api/orders-api',
        'Service/orders-api/orders-api',
        'ServiceAccount/orders-api/orders-api',
      ]);
    });

    it('uses the AGIC IngressClass and no spec.tls (the listener certificate comes from Key Vault)', () => {
      expect(ingress.apiVersion).toBe('networking.k8s.io/v1');
      expect(ingress.spec.ingressClassName).toBe('azure-application-gateway');
      expect(ingress.spec.tls).toBeUndefined();
    });

    it('sets every AGIC annotation, and only those', () => {
      expect(ingress.metadata.annotations).toEqual({
        [`${AGIC}appgw-ssl-certificate`]: 'wildcard-contoso-com',
        [`${AGIC}ssl-redirect`]: 'true',
        [`${AGIC}backend-protocol`]: 'http',
        [`${AGIC}health-probe-path`]: '/healthz/ready',
        [`${AGIC}health-probe-port`]: '8080',
        [`${AGIC}health-probe-status-codes`]: '200-399',
        [`${AGIC}waf-policy-for-path`]: PROD_WAF,
        [`${AGIC}connection-draining`]: 'true',
        [`${AGIC}connection-draining-timeout`]: '30',
      });
    });

    it('routes every path as a Prefix to Service port 80', () => {
      expect(ingress.spec.rules).toEqual([
        {
          host: 'orders.contoso.com',
          http: {
            paths: [
              {
                path: '/orders',
                pathType: 'Prefix',
                backend: { service: { name: 'orders-api', port: { number: 80 } } },
              },
              {
                path: '/carts',
                pathType: 'Prefix',
                backend: { service: { name: 'orders-api', port: { number: 80 } } },
              },
            ],
          },
        },
      ]);
    });

    it('exposes a ClusterIP Service on port 80 named http targeting the container port by name', () => {
      const svc = out.get('Service', 'orders-api');
      expect(svc.spec.type).toBe('ClusterIP');
      expect(svc.spec.selector).toEqual({ 'app.kubernetes.io/name': 'orders-api' });
      expect(svc.spec.ports).toEqual([
        { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP', appProtocol: 'http' },
      ]);
    });

    it('admits only the App Gateway subnet on the container port, and allows DNS egress', () => {
      const np = out.get('NetworkPolicy', 'orders-api', 'orders-api');
      expect(np.spec.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'orders-api' } });
      expect(np.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(np.spec.ingress).toEqual([
        { from: [{ ipBlock: { cidr: PROD.network.l7SourceCidr } }], ports: [{ port: 8080, protocol: 'TCP' }] },
      ]);
      expect(PROD.network.l7SourceCidr).toBe('10.20.5.0/24');
      expect(np.spec.egress).toEqual([
        {
          to: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
              podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
            },
          ],
          ports: [
            { port: 53, protocol: 'UDP' },
            { port: 53, protocol: 'TCP' },
          ],
        },
      ]);
    });

    it('probes the readiness and liveness paths over HTTP on the container port', () => {
      const c = out.get('Deployment', 'orders-api').spec.template.spec.containers[0];
      expect(c.readinessProbe.httpGet).toEqual({ path: '/healthz/ready', port: 8080, scheme: 'HTTP' });
      expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz/live', port: 8080, scheme: 'HTTP' });
      expect(c.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    });

    it('does not register gateway namespaces on agic', () => {
      expect([...out.registry.gatewayNamespaces]).toEqual([]);
      expect(out.registry.routes.map((r) => `${r.host}${r.path}`)).toEqual([
        'orders.contoso.com/orders',
        'orders.contoso.com/carts',
      ]);
    });

    it('matches the snapshot', () => {
      expect(out.byApp.get('orders-api')).toMatchSnapshot();
    });
  });

  describe('end-to-end TLS (backendProtocol https)', () => {
    const out = declareOne(
      PROD,
      'payments-api',
      ({ scope }) =>
        new L7Api(scope, 'api', {
          image: 'ghcr.io/contoso/payments-api:2.0.1',
          port: 8443,
          backendProtocol: 'https',
          routes: [{ host: 'pay.contoso.com' }],
        }),
    );

    it('re-encrypts to the pod: backend-protocol https with the trusted root certificate', () => {
      const a = out.get('Ingress', 'payments-api').metadata.annotations;
      expect(a[`${AGIC}backend-protocol`]).toBe('https');
      expect(a[`${AGIC}appgw-trusted-root-certificate`]).toBe('contoso-internal-root');
      expect(a[`${AGIC}health-probe-port`]).toBe('8443');
      expect(a[`${AGIC}health-probe-path`]).toBe('/readyz');
    });

    it('uses Service port 443 (AGIC rejects https on 80) and routes "/" by default', () => {
      const ing = out.get('Ingress', 'payments-api');
      expect(ing.spec.rules).toEqual([
        {
          host: 'pay.contoso.com',
          http: {
            paths: [
              { path: '/', pathType: 'Prefix', backend: { service: { name: 'payments-api', port: { number: 443 } } } },
            ],
          },
        },
      ]);
      expect(out.get('Service', 'payments-api').spec.ports).toEqual([
        { name: 'https', port: 443, targetPort: 'https', protocol: 'TCP', appProtocol: 'https' },
      ]);
    });

    it('probes the pod over HTTPS', () => {
      const c = out.get('Deployment', 'payments-api').spec.template.spec.containers[0];
      expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 8443, scheme: 'HTTPS' });
      expect(c.livenessProbe.httpGet).toEqual({ path: '/livez', port: 8443, scheme: 'HTTPS' });
      expect(c.ports).toEqual([{ name: 'https', containerPort: 8443, protocol: 'TCP' }]);
    });
  });

  it('an app WAF policy overrides the cluster one', () => {
    const out = declareOne(
      PROD,
      'orders-api',
      ({ scope }) => new L7Api(scope, 'api', { ...orders, wafPolicyId: APP_WAF }),
    );
    expect(out.get('Ingress', 'orders-api').metadata.annotations[`${AGIC}waf-policy-for-path`]).toBe(APP_WAF);
  });

  it('no WAF annotation when neither the cluster nor the app names a policy; no trusted root on http', () => {
    const out = declareOne(AGIC_BARE, 'orders-api', ({ scope }) => new L7Api(scope, 'api', orders));
    const a = out.get('Ingress', 'orders-api').metadata.annotations;
    expect(a[`${AGIC}waf-policy-for-path`]).toBeUndefined();
    expect(a[`${AGIC}appgw-trusted-root-certificate`]).toBeUndefined();
    expect(a[`${AGIC}use-private-ip`]).toBeUndefined();
  });

  it('an app WAF policy applies even when the cluster has none', () => {
    const out = declareOne(
      AGIC_BARE,
      'orders-api',
      ({ scope }) => new L7Api(scope, 'api', { ...orders, wafPolicyId: APP_WAF }),
    );
    expect(out.get('Ingress', 'orders-api').metadata.annotations[`${AGIC}waf-policy-for-path`]).toBe(APP_WAF);
  });

  it('use-private-ip when the cluster routes through the private frontend', () => {
    const out = declareOne(AGIC_PRIVATE, 'orders-api', ({ scope }) => new L7Api(scope, 'api', orders));
    expect(out.get('Ingress', 'orders-api').metadata.annotations[`${AGIC}use-private-ip`]).toBe('true');
  });

  it('uses the cluster IngressClass name when it overrides the default', () => {
    const out = declareOne(AGIC_CUSTOM_CLASS, 'orders-api', ({ scope }) => new L7Api(scope, 'api', orders));
    expect(out.get('Ingress', 'orders-api').spec.ingressClassName).toBe('appgw-internal');
  });

  it('two hosts become two Ingress rules with their own paths', () => {
    const out = declareOne(
      PROD,
      'orders-api',
      ({ scope }) =>
        new L7Api(scope, 'api', {
          ...orders,
          routes: [
            { host: 'orders.contoso.com', paths: ['/orders'] },
            { host: 'shop.contoso.com', paths: ['/api/orders'] },
          ],
        }),
    );
    const rules = out.get('Ingress', 'orders-api').spec.rules;
    expect(
      rules.map((r: { host: string; http: { paths: Array<{ path: string }> } }) => [
        r.host,
        r.http.paths.map((p) => p.path),
      ]),
    ).toEqual([
      ['orders.contoso.com', ['/orders']],
      ['shop.contoso.com', ['/api/orders']],
    ]);
  });
});

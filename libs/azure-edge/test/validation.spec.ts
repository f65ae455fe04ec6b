import { type ClusterSpec, ConfigError, ConfigErrors } from '@aks-gitops/cluster-model';
import { FirewallDnatRules, type PublicL4Endpoint } from '@aks-gitops/azure-edge';
import { cluster, endpoint } from './support/fixtures';

/** Every ConfigError that build() throws (one ConfigError, or several in ConfigErrors). */
function errorsOf(endpoints: PublicL4Endpoint[], spec: ClusterSpec = cluster): ConfigError[] {
  try {
    FirewallDnatRules.build(spec, endpoints);
  } catch (e) {
    if (e instanceof ConfigErrors) return e.errors;
    if (ConfigError.is(e)) return [e];
    throw e;
  }
  return [];
}

function onlyError(endpoints: PublicL4Endpoint[], spec?: ClusterSpec): ConfigError {
  const errors = errorsOf(endpoints, spec);
  expect(errors.map((e) => e.message)).toHaveLength(1);
  return errors[0];
}

/** Endpoints with anything but a bad value are never the subject here: start from a valid one. */
const bad = (o: Partial<PublicL4Endpoint> | Record<string, unknown>) =>
  onlyError([endpoint(o as Partial<PublicL4Endpoint>)]);

describe('conflicts between public services', () => {
  const orders = endpoint();
  const billing = endpoint({
    app: 'billing',
    service: 'db',
    namespace: 'billing',
    portName: 'pg',
    ilbIp: '10.30.4.12',
  });

  it('refuses two apps on the same firewall IP, port and protocol, naming both apps, the cluster and the field', () => {
    const e = onlyError([orders, billing]);
    expect(e.details.cluster).toBe('aks-test-weu');
    // app names sort billing < orders, so orders is the one reported as conflicting
    expect(e.details.app).toBe('orders');
    expect(e.details.field).toBe('endpoints[orders/pg/postgres/TCP].firewallPort');
    expect(e.message).toBe(
      'cluster aks-test-weu, app orders, field endpoints[orders/pg/postgres/TCP].firewallPort: ' +
        '203.0.113.30:5432/TCP is wanted by both app billing (Service billing/db port pg) and app orders (Service orders/pg port postgres); ' +
        'a firewall IP, port and protocol can forward to only one service. ' +
        'Fix: give app orders or app billing another firewallPort, or another address from network.firewallPublicIps',
    );
  });

  it('reports the same error whatever the input order', () => {
    expect(onlyError([billing, orders]).message).toBe(onlyError([orders, billing]).message);
  });

  it('reports a service listed twice once', () => {
    const e = onlyError([orders, { ...orders }]);
    expect(e.details.field).toBe('endpoints[orders/pg/postgres/TCP].firewallPort');
    expect(e.message).toContain(
      'wanted by both app orders (Service orders/pg port postgres) and app orders (Service orders/pg port postgres)',
    );
  });

  it('allows the same port for another protocol or on another firewall IP', () => {
    expect(errorsOf([orders, { ...billing, protocol: 'UDP' }])).toEqual([]);
    expect(errorsOf([orders, { ...billing, firewallPublicIp: '203.0.113.31' }])).toEqual([]);
  });

  it('refuses two endpoints whose rule names collide, naming both apps', () => {
    const a = endpoint({ app: 'a-b', service: 'c', namespace: 'x', portName: 'p' });
    const b = endpoint({ app: 'a', service: 'b-c', namespace: 'y', portName: 'p', firewallPort: 6000 });
    const e = onlyError([a, b]);
    expect(e.details).toMatchObject({ cluster: 'aks-test-weu', app: 'a-b', field: 'endpoints[x/c/p/TCP].portName' });
    expect(e.message).toContain(
      'rule name "a-b-c-p-tcp" is produced by both app a (Service y/b-c port p) and app a-b (Service x/c port p)',
    );
  });

  it('refuses one Service port published on two firewall ports (same rule name)', () => {
    const e = onlyError([orders, { ...orders, firewallPort: 15432 }]);
    expect(e.details.field).toBe('endpoints[orders/pg/postgres/TCP].portName');
    expect(e.message).toContain('rule name "orders-pg-postgres-tcp"');
  });
});

describe('firewall public IP', () => {
  it('must be one of network.firewallPublicIps', () => {
    const e = bad({ firewallPublicIp: '203.0.113.99' });
    expect(e.details).toMatchObject({
      cluster: 'aks-test-weu',
      app: 'orders',
      field: 'endpoints[orders/pg/postgres/TCP].firewallPublicIp',
    });
    expect(e.details.problem).toBe(
      '"203.0.113.99" is not a public IP of this cluster\'s firewall (network.firewallPublicIps: 203.0.113.30, 203.0.113.31)',
    );
  });
});

describe('source addresses', () => {
  it.each([[['*']], [['192.0.2.7']], [['192.0.2.0/24', '198.51.100.7', '203.0.113.0/25']], [['192.0.2.7/32']]])(
    'accepts %j',
    (sources) => {
      expect(errorsOf([endpoint({ sourceAddresses: sources })])).toEqual([]);
    },
  );

  it.each<[unknown, string, string, string]>([
    [[], 'sourceAddresses', 'must be a non-empty list', "write ['*'] to admit any Internet source"],
    [undefined, 'sourceAddresses', 'must be a non-empty list', "write ['*']"],
    [['*', '192.0.2.0/24'], 'sourceAddresses', "mixes '*' with other entries", "either ['*'] for any source"],
    [['0.0.0.0/0'], 'sourceAddresses[0]', 'spells "any source" the long way', "write ['*']"],
    [
      ['192.0.2.0/24', '10.1.2.3/8'],
      'sourceAddresses[1]',
      '"10.1.2.3/8" has host bits set',
      'write the network address, "10.0.0.0/8"',
    ],
    [
      ['Internet'],
      'sourceAddresses[0]',
      '"Internet" is not an IPv4 address or CIDR',
      'service tags, ranges and IPv6 are not supported',
    ],
    [['192.0.2.1-192.0.2.9'], 'sourceAddresses[0]', 'is not an IPv4 address or CIDR', 'use IPv4 addresses or CIDRs'],
    [['2001:db8::/32'], 'sourceAddresses[0]', 'is not an IPv4 address or CIDR', 'IPv6'],
    [['192.0.2.0/33'], 'sourceAddresses[0]', 'is not an IPv4 address or CIDR', 'use IPv4'],
    [['256.0.0.1'], 'sourceAddresses[0]', 'is not an IPv4 address or CIDR', 'use IPv4'],
    [[42], 'sourceAddresses[0]', '42 is not a string', 'as a string'],
  ])('refuses %j', (sources, field, problem, fix) => {
    const e = bad({ sourceAddresses: sources as string[] });
    expect(e.details.cluster).toBe('aks-test-weu');
    expect(e.details.app).toBe('orders');
    expect(e.details.field).toBe(`endpoints[orders/pg/postgres/TCP].${field}`);
    expect(e.details.problem).toContain(problem);
    expect(e.details.fix).toContain(fix);
  });
});

describe('ports and protocol', () => {
  it.each<[string, unknown]>([
    ['firewallPort', 0],
    ['firewallPort', 65536],
    ['firewallPort', 22.5],
    ['firewallPort', '443'],
    ['firewallPort', -1],
    ['servicePort', 0],
    ['servicePort', 70000],
  ])('refuses %s = %j', (field, value) => {
    const e = bad({ [field]: value });
    expect(e.details).toMatchObject({
      cluster: 'aks-test-weu',
      app: 'orders',
      field: `endpoints[orders/pg/postgres/TCP].${field}`,
    });
    expect(e.details.problem).toBe(`${JSON.stringify(value)} is not a port number (an integer from 1 to 65535)`);
  });

  it.each([1, 65535])('accepts port %d', (port) => {
    expect(errorsOf([endpoint({ firewallPort: port, servicePort: port })])).toEqual([]);
  });

  it('refuses protocols other than TCP and UDP', () => {
    const e = bad({ protocol: 'SCTP' });
    expect(e.details.field).toBe('endpoints[orders/pg/postgres/SCTP].protocol');
    expect(e.details.problem).toBe('"SCTP" is not one of "TCP", "UDP"');
  });
});

describe('ILB IP', () => {
  it.each([
    ['10.30.5.10', 'is outside the internal load balancer subnet 10.30.4.0/24'],
    ['10.30.4.3', 'is reserved by Azure in 10.30.4.0/24'],
    ['10.30.4.255', 'is reserved by Azure in 10.30.4.0/24'],
    ['10.30.4', 'is not an IPv4 address'],
  ])('refuses %s', (ilbIp, problem) => {
    const e = bad({ ilbIp });
    expect(e.details.field).toBe('endpoints[orders/pg/postgres/TCP].ilbIp');
    expect(e.details.problem).toContain(problem);
  });
});

describe('names', () => {
  it.each<[string, string, string]>([
    ['app', 'Orders', 'is not a DNS label'],
    ['namespace', '', 'must be a non-empty string'],
    ['service', 's'.repeat(64), 'longer than 63'],
    ['portName', 'postgres-primary', 'longer than 15'],
    ['portName', '5432', 'is not an IANA service name'],
    ['portName', 'pg--main', 'is not an IANA service name'],
  ])('refuses %s = %j', (field, value, problem) => {
    const errors = errorsOf([endpoint({ [field]: value })]);
    const e = errors.find((x) => x.details.field.endsWith(`.${field}`));
    expect(e?.details.problem).toContain(problem);
    expect(e?.details.cluster).toBe('aks-test-weu');
  });
});

describe('reporting', () => {
  it('reports every problem of every endpoint at once, in a stable order', () => {
    const endpoints = [
      endpoint({ app: 'zeta', firewallPort: 0, sourceAddresses: [] }),
      endpoint({ app: 'alpha', service: 'x', firewallPublicIp: '198.51.100.1' }),
    ];
    let thrown: unknown;
    try {
      FirewallDnatRules.build(cluster, endpoints);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ConfigErrors);
    expect((thrown as ConfigErrors).errors.map((e) => `${e.details.app} ${e.details.field}`)).toEqual([
      'alpha endpoints[orders/x/postgres/TCP].firewallPublicIp',
      'zeta endpoints[orders/pg/postgres/TCP].firewallPort',
      'zeta endpoints[orders/pg/postgres/TCP].sourceAddresses',
    ]);
  });

  it('checks the cluster group priority it copies into the body', () => {
    const e = onlyError([endpoint()], {
      ...cluster,
      firewall: { ...cluster.firewall, ruleCollectionGroupPriority: 99 },
    });
    expect(e.details).toMatchObject({ cluster: 'aks-test-weu', field: 'firewall.ruleCollectionGroupPriority' });
    expect(e.details.problem).toBe('99 is not an integer from 100 to 65000');
  });
});

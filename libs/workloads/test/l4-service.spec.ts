/**
 * L4Service: TCP/UDP workloads behind an internal Azure load balancer with a static private IP,
 * private to listed networks or published through Azure Firewall DNAT, optionally through a
 * Private Link Service; stateful brokers run as StatefulSets that keep their data.
 */
import { L4Service } from '../src';
import type { L4ServiceProps } from '../src';
import { DEV, PROD, container, declare, declareOne, expectConfigError, podSpec } from './support/harness';

const LB = 'service.beta.kubernetes.io/';
const image = 'ghcr.io/contoso/syslog-ingest:3.2.0';
const SUB_A = '00000000-0000-4000-8000-0000000000aa';

const syslog: L4ServiceProps = {
  image,
  ports: [
    { name: 'syslog-udp', port: 514, targetPort: 5514, protocol: 'UDP' },
    { name: 'syslog-tls', port: 6514, protocol: 'TCP' },
  ],
  exposure: { mode: 'private', allowedSources: ['192.168.0.0/20', '172.16.40.0/24'] },
  address: { offset: 20 },
};

describe('a private syslog ingest: UDP 514 and TCP 6514 in one Service', () => {
  const out = declareOne(DEV, 'telemetry-ingest', ({ scope }) => new L4Service(scope, 'syslog', syslog));
  const svc = out.get('Service', 'telemetry-ingest', 'telemetry-ingest');

  it('creates the objects of one Deployment-backed L4 service', () => {
    expect(out.inventory('telemetry-ingest')).toEqual([
      'Deployment/telemetry-ingest/telemetry-ingest',
      'NetworkPolicy/telemetry-ingest/telemetry-ingest',
      'PodDisruptionBudget/telemetry-ingest/telemetry-ingest',
      'Service/telemetry-ingest/telemetry-ingest',
      'ServiceAccount/telemetry-ingest/telemetry-ingest',
    ]);
  });

  it('is an internal LoadBalancer with every annotation, and only those', () => {
    expect(svc.spec.type).toBe('LoadBalancer');
    expect(svc.metadata.annotations).toEqual({
      [`${LB}azure-load-balancer-internal`]: 'true',
      [`${LB}azure-load-balancer-internal-subnet`]: 'snet-ilb',
      [`${LB}azure-load-balancer-ipv4`]: '10.10.4.20',
      [`${LB}azure-deny-all-except-load-balancer-source-ranges`]: 'true',
      [`${LB}azure-load-balancer-tcp-idle-timeout`]: '4',
    });
  });

  it('sets the static IP only through the annotation, never spec.loadBalancerIP', () => {
    expect(svc.spec.loadBalancerIP).toBeUndefined();
    expect(out.registry.loadBalancers.map((l) => `${l.ip}:${l.port}/${l.protocol}`)).toEqual([
      '10.10.4.20:514/UDP',
      '10.10.4.20:6514/TCP',
    ]);
  });

  it('keeps client source addresses and lets only the listed networks through the LB', () => {
    expect(svc.spec.externalTrafficPolicy).toBe('Local');
    expect(svc.spec.loadBalancerSourceRanges).toEqual(['192.168.0.0/20', '172.16.40.0/24']);
  });

  it('mixes TCP and UDP ports in the one Service, targeting the container ports', () => {
    expect(svc.spec.ports).toEqual([
      { name: 'syslog-udp', port: 514, targetPort: 5514, protocol: 'UDP' },
      { name: 'syslog-tls', port: 6514, targetPort: 6514, protocol: 'TCP' },
    ]);
    expect(container(out.get('Deployment', 'telemetry-ingest')).ports).toEqual([
      { name: 'syslog-udp', containerPort: 5514, protocol: 'UDP' },
      { name: 'syslog-tls', containerPort: 6514, protocol: 'TCP' },
    ]);
  });

  it('admits exactly the allowed sources, on the target ports and protocols only', () => {
    const np = out.get('NetworkPolicy', 'telemetry-ingest');
    expect(np.spec.ingress).toEqual([
      {
        from: [{ ipBlock: { cidr: '192.168.0.0/20' } }, { ipBlock: { cidr: '172.16.40.0/24' } }],
        ports: [
          { port: 5514, protocol: 'UDP' },
          { port: 6514, protocol: 'TCP' },
        ],
      },
    ]);
  });

  it('probes the first TCP port by default, for readiness and liveness', () => {
    const c = container(out.get('Deployment', 'telemetry-ingest'));
    expect(c.readinessProbe.tcpSocket).toEqual({ port: 6514 });
    expect(c.livenessProbe.tcpSocket).toEqual({ port: 6514 });
  });

  it('registers no firewall endpoint (private)', () => {
    expect(out.registry.firewallEndpoints).toEqual([]);
  });

  it('matches the snapshot', () => {
    expect(out.byApp.get('telemetry-ingest')).toMatchSnapshot();
  });
});

describe('addresses', () => {
  it('a literal address inside the ILB subnet', () => {
    const out = declareOne(PROD, 'db', ({ scope }) => new L4Service(scope, 'db', { ...syslog, address: '10.20.4.50' }));
    expect(out.get('Service', 'db').metadata.annotations[`${LB}azure-load-balancer-ipv4`]).toBe('10.20.4.50');
  });

  it('{ offset } resolves per cluster, so one definition fits every cluster', () => {
    const dev = declareOne(
      DEV,
      'db',
      ({ scope }) => new L4Service(scope, 'db', { ...syslog, address: { offset: 30 } }),
    );
    const prod = declareOne(
      PROD,
      'db',
      ({ scope }) => new L4Service(scope, 'db', { ...syslog, address: { offset: 30 } }),
    );
    expect(dev.get('Service', 'db').metadata.annotations[`${LB}azure-load-balancer-ipv4`]).toBe('10.10.4.30');
    expect(prod.get('Service', 'db').metadata.annotations[`${LB}azure-load-balancer-ipv4`]).toBe('10.20.4.30');
  });

  it('two services may share one IP on different ports (one LB frontend)', () => {
    const out = declare(DEV, {
      a: ({ scope }) =>
        new L4Service(scope, 'a', { ...syslog, ports: [{ name: 'pg', port: 5432 }], address: { offset: 40 } }),
      b: ({ scope }) =>
        new L4Service(scope, 'b', { ...syslog, ports: [{ name: 'redis', port: 6379 }], address: '10.10.4.40' }),
    });
    expect(out.registry.loadBalancers.map((l) => `${l.app}:${l.ip}:${l.port}`)).toEqual([
      'a:10.10.4.40:5432',
      'b:10.10.4.40:6379',
    ]);
  });

  it('the same port over TCP and UDP on one IP is two LB rules, not a conflict', () => {
    const out = declareOne(
      DEV,
      'dns',
      ({ scope }) =>
        new L4Service(scope, 'dns', {
          ...syslog,
          ports: [
            { name: 'dns-udp', port: 53, targetPort: 5353, protocol: 'UDP' },
            { name: 'dns-tcp', port: 53, targetPort: 5353, protocol: 'TCP' },
          ],
        }),
    );
    expect(
      out.get('Service', 'dns').spec.ports.map((p: { port: number; protocol: string }) => `${p.port}/${p.protocol}`),
    ).toEqual(['53/UDP', '53/TCP']);
  });
});

describe('a public MQTT broker through the Azure Firewall, as a StatefulSet', () => {
  const mqtt: L4ServiceProps = {
    image: 'docker.io/eclipse-mosquitto:2.0.20',
    ports: [{ name: 'mqtts', port: 8883 }],
    exposure: { mode: 'public-via-firewall', sourceAddresses: ['*'] },
    address: { offset: 10 },
    replicas: 3,
    volumes: [{ name: 'data', mountPath: '/mosquitto/data', size: '20Gi', storageClassName: 'managed-csi-premium' }],
    tcpIdleTimeoutMinutes: 30,
  };
  const out = declareOne(PROD, 'mqtt-broker', ({ scope }) => new L4Service(scope, 'broker', mqtt));
  const svc = out.get('Service', 'mqtt-broker');

  it('creates a StatefulSet with a headless Service instead of a Deployment', () => {
    expect(out.inventory('mqtt-broker')).toEqual([
      'NetworkPolicy/mqtt-broker/mqtt-broker',
      'PodDisruptionBudget/mqtt-broker/mqtt-broker',
      'Service/mqtt-broker/mqtt-broker',
      'Service/mqtt-broker/mqtt-broker-headless',
      'ServiceAccount/mqtt-broker/mqtt-broker',
      'StatefulSet/mqtt-broker/mqtt-broker',
    ]);
  });

  it('admits only the AzureFirewallSubnet (the firewall SNATs DNAT traffic to it), on the target port', () => {
    expect(out.get('NetworkPolicy', 'mqtt-broker').spec.ingress).toEqual([
      { from: [{ ipBlock: { cidr: '10.0.1.0/26' } }], ports: [{ port: 8883, protocol: 'TCP' }] },
    ]);
    expect(svc.spec.loadBalancerSourceRanges).toEqual(['10.0.1.0/26']);
    expect(svc.spec.externalTrafficPolicy).toBe('Local');
    expect(svc.metadata.annotations[`${LB}azure-load-balancer-internal`]).toBe('true');
  });

  it('registers a firewall endpoint on the first firewall IP, firewall port = service port', () => {
    expect(out.registry.firewallEndpoints).toEqual([
      {
        app: 'mqtt-broker',
        service: 'mqtt-broker',
        namespace: 'mqtt-broker',
        portName: 'mqtts',
        protocol: 'TCP',
        firewallPublicIp: '203.0.113.20',
        firewallPort: 8883,
        ilbIp: '10.20.4.10',
        servicePort: 8883,
        sourceAddresses: ['*'],
      },
    ]);
  });

  it('sets the idle timeout it was asked for', () => {
    expect(svc.metadata.annotations[`${LB}azure-load-balancer-tcp-idle-timeout`]).toBe('30');
  });

  it('keeps data: volumeClaimTemplates, Retain on delete and scale-down, never pruned by Flux', () => {
    const sts = out.get('StatefulSet', 'mqtt-broker');
    expect(sts.metadata.annotations).toEqual({ 'kustomize.toolkit.fluxcd.io/prune': 'disabled' });
    expect(sts.spec.replicas).toBe(3);
    expect(sts.spec.serviceName).toBe('mqtt-broker-headless');
    expect(sts.spec.podManagementPolicy).toBe('Parallel');
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: 'Retain', whenScaled: 'Retain' });
    expect(sts.spec.volumeClaimTemplates).toEqual([
      {
        metadata: {
          name: 'data',
          labels: {
            'app.kubernetes.io/name': 'mqtt-broker',
            'app.kubernetes.io/part-of': 'mqtt-broker',
            'app.kubernetes.io/managed-by': 'aks-gitops',
            'app.kubernetes.io/component': 'l4-service',
          },
          annotations: { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' },
        },
        spec: {
          accessModes: ['ReadWriteOnce'],
          storageClassName: 'managed-csi-premium',
          resources: { requests: { storage: '20Gi' } },
        },
      },
    ]);
    expect(container(sts).volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'data', mountPath: '/mosquitto/data' },
    ]);
    // The claim template supplies the "data" volume; the pod spec only declares /tmp.
    expect(podSpec(sts).volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }]);
  });

  it('has a headless Service for stable pod DNS names', () => {
    expect(out.get('Service', 'mqtt-broker-headless').spec).toEqual({
      clusterIP: 'None',
      selector: { 'app.kubernetes.io/name': 'mqtt-broker' },
      publishNotReadyAddresses: true,
      ports: [{ name: 'mqtts', port: 8883, targetPort: 'mqtts', protocol: 'TCP' }],
    });
  });

  it('with autoscaling, the HPA targets the StatefulSet', () => {
    const scaled = declareOne(
      PROD,
      'mqtt-broker',
      ({ scope }) =>
        new L4Service(scope, 'broker', {
          ...mqtt,
          replicas: undefined,
          autoscaling: { minReplicas: 2, maxReplicas: 4 },
        }),
    );
    expect('replicas' in scaled.get('StatefulSet', 'mqtt-broker').spec).toBe(false);
    expect(scaled.get('HorizontalPodAutoscaler', 'mqtt-broker').spec.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      name: 'mqtt-broker',
    });
  });

  it('matches the snapshot', () => {
    expect(out.byApp.get('mqtt-broker')).toMatchSnapshot();
  });
});

describe('firewall endpoints', () => {
  it('a chosen firewall IP and firewall port, per port and protocol', () => {
    const out = declareOne(
      PROD,
      'game',
      ({ scope }) =>
        new L4Service(scope, 'game', {
          image,
          ports: [
            { name: 'game-udp', port: 7777, protocol: 'UDP', firewallPort: 27015 },
            { name: 'query', port: 7778 },
          ],
          exposure: {
            mode: 'public-via-firewall',
            sourceAddresses: ['198.51.100.0/24', '203.0.113.7'],
            firewallPublicIp: '203.0.113.21',
          },
          address: { offset: 12 },
        }),
    );
    expect(
      out.registry.firewallEndpoints.map((e) => [
        e.firewallPublicIp,
        e.firewallPort,
        e.protocol,
        e.ilbIp,
        e.servicePort,
        e.sourceAddresses,
      ]),
    ).toEqual([
      ['203.0.113.21', 27015, 'UDP', '10.20.4.12', 7777, ['198.51.100.0/24', '203.0.113.7']],
      ['203.0.113.21', 7778, 'TCP', '10.20.4.12', 7778, ['198.51.100.0/24', '203.0.113.7']],
    ]);
    const np = out.get('NetworkPolicy', 'game');
    expect(np.spec.ingress).toEqual([
      {
        from: [{ ipBlock: { cidr: '10.0.1.0/26' } }],
        ports: [
          { port: 7777, protocol: 'UDP' },
          { port: 7778, protocol: 'TCP' },
        ],
      },
    ]);
  });
});

describe('load balancer health probes under externalTrafficPolicy Local', () => {
  it('writes no per-port probe annotation: the load balancer probes the health check node port and would ignore them', () => {
    const out = declareOne(
      DEV,
      'db',
      ({ scope }) =>
        new L4Service(scope, 'db', {
          ...syslog,
          ports: [
            { name: 'pg', port: 5432 },
            { name: 'admin', port: 8443 },
            { name: 'statsd', port: 8125, protocol: 'UDP' },
          ],
        }),
    );
    const svc = out.get('Service', 'db');
    expect(svc.spec.externalTrafficPolicy).toBe('Local');
    expect(Object.keys(svc.metadata.annotations).filter((k) => k.includes('health-probe'))).toEqual([]);
  });

  it('rejects loadBalancerProbe with the reason it would do nothing', () => {
    expect(() =>
      declareOne(
        DEV,
        'db',
        ({ scope }) =>
          new L4Service(scope, 'db', {
            ...syslog,
            ports: [{ name: 'pg', port: 5432, loadBalancerProbe: { protocol: 'Tcp' } as never }],
          }),
      ),
    ).toThrow(
      /field L4Service\(db\)\.ports\[0\]\.loadBalancerProbe: would be ignored: with externalTrafficPolicy Local .* health check node port .*Fix: drop loadBalancerProbe and put the check in health\.readiness/s,
    );
  });

  it('no idle timeout annotation on a UDP-only service', () => {
    const out = declareOne(
      DEV,
      'statsd',
      ({ scope }) =>
        new L4Service(scope, 'statsd', {
          ...syslog,
          ports: [{ name: 'statsd', port: 8125, protocol: 'UDP' }],
          health: { readiness: { exec: { command: ['/bin/health'] } } },
        }),
    );
    const a = out.get('Service', 'statsd').metadata.annotations;
    expect(a[`${LB}azure-load-balancer-tcp-idle-timeout`]).toBeUndefined();
  });
});

describe('container probes', () => {
  const probes = (health: L4ServiceProps['health']) =>
    container(
      declareOne(
        DEV,
        'svc',
        ({ scope }) =>
          new L4Service(scope, 'svc', {
            ...syslog,
            ports: [
              { name: 'grpc', port: 9000 },
              { name: 'udp', port: 9001, protocol: 'UDP' },
            ],
            health,
          }),
      ).get('Deployment', 'svc'),
    );

  it('TCP', () => {
    const c = probes({ readiness: { tcp: { port: 9000 } } });
    expect(c.readinessProbe).toEqual({
      tcpSocket: { port: 9000 },
      periodSeconds: 5,
      failureThreshold: 3,
      timeoutSeconds: 2,
    });
    expect(c.livenessProbe).toEqual({
      tcpSocket: { port: 9000 },
      periodSeconds: 10,
      failureThreshold: 3,
      timeoutSeconds: 2,
    });
  });

  it('exec', () => {
    const c = probes({
      readiness: { exec: { command: ['/bin/check', '--ready'] } },
      liveness: { exec: { command: ['/bin/check'] } },
    });
    expect(c.readinessProbe.exec).toEqual({ command: ['/bin/check', '--ready'] });
    expect(c.livenessProbe.exec).toEqual({ command: ['/bin/check'] });
  });

  it('gRPC, with a startup probe', () => {
    const c = probes({
      readiness: { grpc: { port: 9000, service: 'ready' } },
      liveness: { grpc: { port: 9000 } },
      startup: { tcp: { port: 9000 } },
    });
    expect(c.readinessProbe.grpc).toEqual({ port: 9000, service: 'ready' });
    expect(c.livenessProbe.grpc).toEqual({ port: 9000 });
    expect(c.startupProbe).toEqual({
      tcpSocket: { port: 9000 },
      periodSeconds: 5,
      failureThreshold: 60,
      timeoutSeconds: 2,
    });
  });

  it('a UDP-only service without a probe is an error', () => {
    expectConfigError(
      () =>
        declareOne(
          DEV,
          'statsd',
          ({ scope }) =>
            new L4Service(scope, 'statsd', { ...syslog, ports: [{ name: 'statsd', port: 8125, protocol: 'UDP' }] }),
        ),
      {
        cluster: 'aks-dev-weu',
        app: 'statsd',
        field: 'L4Service(statsd).health.readiness',
        problem: 'no TCP port',
      },
    );
  });

  it('an HTTP probe without a port on a UDP-only service is an error (it would probe port 0)', () => {
    expectConfigError(
      () =>
        declareOne(
          DEV,
          'statsd',
          ({ scope }) =>
            new L4Service(scope, 'statsd', {
              ...syslog,
              ports: [{ name: 'statsd', port: 8125, protocol: 'UDP' }],
              health: { readiness: { http: { path: '/healthz' } } },
            }),
        ),
      {
        cluster: 'aks-dev-weu',
        app: 'statsd',
        field: 'L4Service(statsd).health.readiness',
        problem: 'no TCP port to default to',
      },
    );
  });

  it('a TCP probe on a UDP port is an error', () => {
    expectConfigError(() => probes({ readiness: { tcp: { port: 9001 } } }), {
      cluster: 'aks-dev-weu',
      app: 'svc',
      field: 'L4Service(svc).health.readiness',
      problem: 'a TCP probe cannot check UDP',
    });
  });
});

describe('Private Link Service', () => {
  const out = declareOne(
    PROD,
    'db',
    ({ scope }) =>
      new L4Service(scope, 'db', {
        ...syslog,
        ports: [{ name: 'pg', port: 5432 }],
        privateLink: { visibility: ['*'], autoApproval: [SUB_A] },
      }),
  );
  const svc = out.get('Service', 'db');

  it('creates the PLS through azure-pls-* annotations in the ILB subnet', () => {
    const a = svc.metadata.annotations;
    expect(a[`${LB}azure-pls-create`]).toBe('true');
    expect(a[`${LB}azure-pls-name`]).toBe('pls-aks-prod-weu-db-db');
    expect(a[`${LB}azure-pls-ip-configuration-subnet`]).toBe('snet-ilb');
    expect(a[`${LB}azure-pls-visibility`]).toBe('*');
    expect(a[`${LB}azure-pls-auto-approval`]).toBe(SUB_A);
  });

  it('admits the PLS NAT subnet (its source-NAT addresses) next to the allowed sources', () => {
    expect(svc.spec.loadBalancerSourceRanges).toEqual(['192.168.0.0/20', '172.16.40.0/24', '10.20.4.0/24']);
    expect(out.get('NetworkPolicy', 'db').spec.ingress[0].from).toEqual([
      { ipBlock: { cidr: '192.168.0.0/20' } },
      { ipBlock: { cidr: '172.16.40.0/24' } },
      { ipBlock: { cidr: '10.20.4.0/24' } },
    ]);
  });

  it('without visibility the PLS stays RBAC-only (no visibility or auto-approval annotation)', () => {
    const rbac = declareOne(
      PROD,
      'db',
      ({ scope }) => new L4Service(scope, 'db', { ...syslog, ports: [{ name: 'pg', port: 5432 }], privateLink: {} }),
    );
    const a = rbac.get('Service', 'db').metadata.annotations;
    expect(a[`${LB}azure-pls-create`]).toBe('true');
    expect(a[`${LB}azure-pls-visibility`]).toBeUndefined();
    expect(a[`${LB}azure-pls-auto-approval`]).toBeUndefined();
  });

  it('visibility to named subscriptions is space-separated', () => {
    const subs = declareOne(
      PROD,
      'db',
      ({ scope }) =>
        new L4Service(scope, 'db', {
          ...syslog,
          ports: [{ name: 'pg', port: 5432 }],
          privateLink: { visibility: [SUB_A, '00000000-0000-4000-8000-0000000000bb'] },
        }),
    );
    expect(subs.get('Service', 'db').metadata.annotations[`${LB}azure-pls-visibility`]).toBe(
      `${SUB_A} 00000000-0000-4000-8000-0000000000bb`,
    );
  });

  it('a PLS name cut at 80 characters does not end with a dash', () => {
    // "pls-aks-prod-weu-" + 40-character app + "-" is 58 characters; the 80th is the workload's dash.
    const app = 'a'.repeat(40);
    const workload = `${'w'.repeat(21)}-bbbbb`;
    const out2 = declareOne(
      PROD,
      app,
      ({ scope }) =>
        new L4Service(scope, 'db', { ...syslog, name: workload, ports: [{ name: 'pg', port: 5432 }], privateLink: {} }),
    );
    const name = out2.get('Service', workload).metadata.annotations[`${LB}azure-pls-name`];
    expect(name).toBe(`pls-aks-prod-weu-${app}-${'w'.repeat(21)}`);
    expect(name.length).toBe(79);
  });
});

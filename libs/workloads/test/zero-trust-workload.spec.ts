/**
 * The zero-trust pod every L7Api and L4Service gets (one shared implementation): Pod Security
 * `restricted`, a dedicated ServiceAccount, workload identity, disruption budget, autoscaling,
 * probes, configuration and Key Vault secrets.
 */
import { L4Service, L7Api } from '../src';
import type { L7ApiProps } from '../src';
import { DEV, PROD, container, declareOne, podSpec } from './support/harness';

const api: L7ApiProps = {
  image: 'ghcr.io/contoso/orders-api:1.4.2',
  port: 8080,
  routes: [{ host: 'orders.contoso.com' }],
};
const CLIENT_ID = '3c1f5a0e-7b2d-4c8e-9f10-2a3b4c5d6e7f';

describe('the restricted, non-root pod', () => {
  const out = declareOne(PROD, 'orders-api', ({ scope }) => new L7Api(scope, 'api', api));
  const deployment = out.get('Deployment', 'orders-api');
  const pod = podSpec(deployment);
  const c = container(deployment);

  it('runs as UID/GID 10001 with fsGroup and seccomp RuntimeDefault at pod level', () => {
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      fsGroup: 10001,
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  it('repeats the restricted fields at container level', () => {
    expect(c.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(c.securityContext.capabilities.add).toBeUndefined();
  });

  it('gives a writable /tmp through an emptyDir, and nothing else writable', () => {
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }]);
    expect(c.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
  });

  it('uses no host namespaces, host ports or service links', () => {
    expect(pod.hostNetwork).toBeUndefined();
    expect(pod.hostPID).toBeUndefined();
    expect(pod.hostIPC).toBeUndefined();
    expect(pod.enableServiceLinks).toBe(false);
    expect(c.ports.every((p: { hostPort?: number }) => p.hostPort === undefined)).toBe(true);
  });

  it('runs under a dedicated ServiceAccount whose token is mounted nowhere', () => {
    const sa = out.get('ServiceAccount', 'orders-api', 'orders-api');
    expect(sa.automountServiceAccountToken).toBe(false);
    expect(sa.metadata.annotations).toBeUndefined();
    expect(pod.serviceAccountName).toBe('orders-api');
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(deployment.spec.template.metadata.labels['azure.workload.identity/use']).toBeUndefined();
  });

  it('requests CPU and memory and limits memory, with sane defaults', () => {
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } });
  });

  it('has readiness and liveness probes and no startup probe by default', () => {
    expect(c.readinessProbe).toEqual({
      httpGet: { path: '/readyz', port: 8080, scheme: 'HTTP' },
      periodSeconds: 5,
      failureThreshold: 3,
      timeoutSeconds: 2,
    });
    expect(c.livenessProbe).toEqual({
      httpGet: { path: '/livez', port: 8080, scheme: 'HTTP' },
      periodSeconds: 10,
      failureThreshold: 3,
      timeoutSeconds: 2,
    });
    expect(c.startupProbe).toBeUndefined();
  });

  it('spreads replicas across zones and nodes without blocking scheduling', () => {
    const sel = { matchLabels: { 'app.kubernetes.io/name': 'orders-api' } };
    expect(pod.topologySpreadConstraints).toEqual([
      {
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: sel,
      },
      { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: sel },
    ]);
  });

  it('selects pods by the workload name only, and labels everything with app/workload/component', () => {
    expect(deployment.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'orders-api' } });
    const labels = {
      'app.kubernetes.io/name': 'orders-api',
      'app.kubernetes.io/part-of': 'orders-api',
      'app.kubernetes.io/managed-by': 'aks-gitops',
      'app.kubernetes.io/component': 'l7-api',
    };
    for (const o of out.objects) expect(o.metadata.labels).toEqual(labels);
    expect(deployment.spec.template.metadata.labels).toEqual(labels);
  });

  it('defaults to 2 replicas with a PodDisruptionBudget that lets one pod go, even an unhealthy one', () => {
    expect(deployment.spec.replicas).toBe(2);
    expect(out.get('PodDisruptionBudget', 'orders-api').spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'orders-api' } },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    });
    expect(out.all('HorizontalPodAutoscaler')).toEqual([]);
  });

  it('rolls out without losing capacity', () => {
    expect(deployment.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' },
    });
  });
});

describe('replicas, disruption budget and autoscaling', () => {
  it('one replica: no PodDisruptionBudget', () => {
    const out = declareOne(PROD, 'orders-api', ({ scope }) => new L7Api(scope, 'api', { ...api, replicas: 1 }));
    expect(out.get('Deployment', 'orders-api').spec.replicas).toBe(1);
    expect(out.all('PodDisruptionBudget')).toEqual([]);
  });

  it('three replicas: a PodDisruptionBudget with maxUnavailable 1', () => {
    const out = declareOne(PROD, 'orders-api', ({ scope }) => new L7Api(scope, 'api', { ...api, replicas: 3 }));
    expect(out.get('Deployment', 'orders-api').spec.replicas).toBe(3);
    expect(out.get('PodDisruptionBudget', 'orders-api').spec.maxUnavailable).toBe(1);
  });

  it('autoscaling: an HPA on CPU owns the count, the Deployment has no spec.replicas', () => {
    const out = declareOne(
      PROD,
      'orders-api',
      ({ scope }) =>
        new L7Api(scope, 'api', { ...api, autoscaling: { minReplicas: 3, maxReplicas: 12, targetCpuUtilization: 60 } }),
    );
    const d = out.get('Deployment', 'orders-api');
    expect('replicas' in d.spec).toBe(false);
    const hpa = out.get('HorizontalPodAutoscaler', 'orders-api');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'orders-api' },
      minReplicas: 3,
      maxReplicas: 12,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
      ],
    });
    expect(out.get('PodDisruptionBudget', 'orders-api').spec.maxUnavailable).toBe(1);
  });

  it('autoscaling defaults: minReplicas 2, CPU target 70', () => {
    const out = declareOne(
      PROD,
      'orders-api',
      ({ scope }) => new L7Api(scope, 'api', { ...api, autoscaling: { maxReplicas: 5 } }),
    );
    const hpa = out.get('HorizontalPodAutoscaler', 'orders-api');
    expect(hpa.spec.minReplicas).toBe(2);
    expect(hpa.spec.metrics[0].resource.target.averageUtilization).toBe(70);
  });

  it('autoscaling from one replica still gets a PodDisruptionBudget (the HPA may scale out; the policy gate requires it)', () => {
    const out = declareOne(
      PROD,
      'orders-api',
      ({ scope }) => new L7Api(scope, 'api', { ...api, autoscaling: { minReplicas: 1, maxReplicas: 4 } }),
    );
    expect(out.get('HorizontalPodAutoscaler', 'orders-api').spec.minReplicas).toBe(1);
    expect(out.get('PodDisruptionBudget', 'orders-api').spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'orders-api' } },
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    });
  });
});

describe('configuration, identity and secrets', () => {
  const out = declareOne(
    PROD,
    'payments-api',
    ({ scope }) =>
      new L7Api(scope, 'api', {
        ...api,
        routes: [{ host: 'pay.contoso.com' }],
        config: { PAGE_SIZE: '50', LOG_FORMAT: 'json' },
        env: { TZ: 'UTC', A_FIRST: '1' },
        workloadIdentity: { clientId: CLIENT_ID },
        keyVaultSecrets: ['psp-api-key', 'db-password'],
        resources: { cpu: '250m', memory: '256Mi', memoryLimit: '512Mi', cpuLimit: '1' },
        command: ['/app/server'],
        args: ['--listen', ':8080'],
        health: { startupPath: '/startz' },
      }),
  );
  const deployment = out.get('Deployment', 'payments-api');
  const c = container(deployment);
  const pod = podSpec(deployment);

  it('writes config as a ConfigMap (keys sorted) and exposes it with envFrom', () => {
    const cm = out.get('ConfigMap', 'payments-api-config', 'payments-api');
    expect(cm.data).toEqual({ LOG_FORMAT: 'json', PAGE_SIZE: '50' });
    expect(Object.keys(cm.data)).toEqual(['LOG_FORMAT', 'PAGE_SIZE']);
    expect(c.envFrom).toEqual([{ configMapRef: { name: 'payments-api-config' } }]);
    expect(c.env).toEqual([
      { name: 'A_FIRST', value: '1' },
      { name: 'TZ', value: 'UTC' },
    ]);
  });

  it('labels the pod template for workload identity and annotates the ServiceAccount with the client ID', () => {
    expect(deployment.spec.template.metadata.labels['azure.workload.identity/use']).toBe('true');
    expect(deployment.metadata.labels['azure.workload.identity/use']).toBeUndefined();
    const sa = out.get('ServiceAccount', 'payments-api');
    expect(sa.metadata.annotations).toEqual({ 'azure.workload.identity/client-id': CLIENT_ID });
    expect(sa.automountServiceAccountToken).toBe(false);
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  it('reads Key Vault secrets through a SecretProviderClass with the workload identity', () => {
    const spc = out.get('SecretProviderClass', 'payments-api-keyvault', 'payments-api');
    expect(spc.apiVersion).toBe('secrets-store.csi.x-k8s.io/v1');
    expect(spc.spec).toEqual({
      provider: 'azure',
      parameters: {
        usePodIdentity: 'false',
        clientID: CLIENT_ID,
        keyvaultName: 'kv-aks-prod-weu',
        tenantId: '72f988bf-0000-4000-8000-000000000001',
        objects:
          'array:\n  - |\n    objectName: db-password\n    objectType: secret\n  - |\n    objectName: psp-api-key\n    objectType: secret\n',
      },
    });
    expect(spc.spec.secretObjects).toBeUndefined();
  });

  it('mounts the CSI volume read-only at /mnt/secrets-store', () => {
    expect(pod.volumes).toEqual([
      { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
      {
        name: 'keyvault-secrets',
        csi: {
          driver: 'secrets-store.csi.k8s.io',
          readOnly: true,
          volumeAttributes: { secretProviderClass: 'payments-api-keyvault' },
        },
      },
    ]);
    expect(c.volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'keyvault-secrets', mountPath: '/mnt/secrets-store', readOnly: true },
    ]);
  });

  it('applies resources, command, args and a startup probe', () => {
    expect(c.resources).toEqual({ requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi', cpu: '1' } });
    expect(c.command).toEqual(['/app/server']);
    expect(c.args).toEqual(['--listen', ':8080']);
    expect(c.startupProbe).toEqual({
      httpGet: { path: '/startz', port: 8080, scheme: 'HTTP' },
      periodSeconds: 5,
      failureThreshold: 60,
      timeoutSeconds: 2,
    });
  });

  it('never writes a Secret to git', () => {
    expect(out.all('Secret')).toEqual([]);
  });
});

describe('explicit loosening', () => {
  it('writableRootFilesystem flips readOnlyRootFilesystem and records the reason as a waiver', () => {
    const out = declareOne(
      PROD,
      'orders-api',
      ({ scope }) =>
        new L7Api(scope, 'api', {
          ...api,
          writableRootFilesystem: { reason: 'legacy JVM writes its cache under /opt/app' },
        }),
    );
    const d = out.get('Deployment', 'orders-api');
    expect(container(d).securityContext.readOnlyRootFilesystem).toBe(false);
    expect(d.metadata.annotations).toEqual({
      'waivers.aks-gitops.io/read-only-root-filesystem': 'legacy JVM writes its cache under /opt/app',
    });
  });

  it('no waiver annotation without a loosening', () => {
    const out = declareOne(PROD, 'orders-api', ({ scope }) => new L7Api(scope, 'api', api));
    expect(out.get('Deployment', 'orders-api').metadata.annotations).toBeUndefined();
  });

  it('a custom UID >= 10000 applies to the pod and container', () => {
    const out = declareOne(PROD, 'orders-api', ({ scope }) => new L7Api(scope, 'api', { ...api, runAsUser: 20000 }));
    const d = out.get('Deployment', 'orders-api');
    expect(podSpec(d).securityContext).toMatchObject({ runAsUser: 20000, runAsGroup: 20000, fsGroup: 20000 });
    expect(container(d).securityContext).toMatchObject({ runAsUser: 20000, runAsGroup: 20000 });
  });

  it('egress CIDRs with ports are added after DNS, TCP by default', () => {
    const out = declareOne(
      PROD,
      'orders-api',
      ({ scope }) =>
        new L7Api(scope, 'api', {
          ...api,
          egress: [
            { cidr: '10.0.8.16/28', ports: [{ port: 443 }, { port: 8125, protocol: 'UDP' }] },
            { cidr: '0.0.0.0/0', ports: [{ port: 443 }], reason: 'calls a SaaS API' },
          ],
        }),
    );
    const egress = out.get('NetworkPolicy', 'orders-api').spec.egress;
    expect(egress).toHaveLength(3);
    expect(egress[0].to[0].podSelector).toEqual({ matchLabels: { 'k8s-app': 'kube-dns' } });
    expect(egress[1]).toEqual({
      to: [{ ipBlock: { cidr: '10.0.8.16/28' } }],
      ports: [
        { port: 443, protocol: 'TCP' },
        { port: 8125, protocol: 'UDP' },
      ],
    });
    expect(egress[2]).toEqual({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443, protocol: 'TCP' }] });
  });

  it('the reason for egress to 0.0.0.0/0 is recorded as a waiver on the NetworkPolicy', () => {
    const out = declareOne(
      PROD,
      'orders-api',
      ({ scope }) =>
        new L7Api(scope, 'api', {
          ...api,
          egress: [{ cidr: '0.0.0.0/0', ports: [{ port: 443 }], reason: 'calls a SaaS API' }],
        }),
    );
    expect(out.get('NetworkPolicy', 'orders-api').metadata.annotations).toEqual({
      'waivers.aks-gitops.io/netpol-allow-to-anywhere': 'calls a SaaS API',
    });
  });

  it('no waiver on the NetworkPolicy for narrow egress', () => {
    const out = declareOne(
      PROD,
      'orders-api',
      ({ scope }) => new L7Api(scope, 'api', { ...api, egress: [{ cidr: '10.0.8.16/28', ports: [{ port: 443 }] }] }),
    );
    expect(out.get('NetworkPolicy', 'orders-api').metadata.annotations).toBeUndefined();
  });
});

describe('names', () => {
  it('props.name names every object of the workload, independent of the app name', () => {
    const out = declareOne(PROD, 'shop', ({ scope }) => {
      new L7Api(scope, 'api', {
        ...api,
        name: 'orders',
        config: { A: '1' },
        workloadIdentity: { clientId: CLIENT_ID },
        keyVaultSecrets: ['k'],
      });
    });
    expect(out.inventory('shop')).toEqual([
      'ConfigMap/shop/orders-config',
      'Deployment/shop/orders',
      'Ingress/shop/orders',
      'NetworkPolicy/shop/orders',
      'PodDisruptionBudget/shop/orders',
      'SecretProviderClass/shop/orders-keyvault',
      'Service/shop/orders',
      'ServiceAccount/shop/orders',
    ]);
    const d = out.get('Deployment', 'orders');
    expect(podSpec(d).serviceAccountName).toBe('orders');
    expect(container(d).name).toBe('orders');
    expect(d.metadata.labels).toMatchObject({
      'app.kubernetes.io/name': 'orders',
      'app.kubernetes.io/part-of': 'shop',
    });
    expect(out.get('Ingress', 'orders').spec.rules[0].http.paths[0].backend.service.name).toBe('orders');
    expect(out.registry.workloads.get('shop/orders')?.selector).toEqual({ 'app.kubernetes.io/name': 'orders' });
    expect(out.registry.routes[0]).toMatchObject({ app: 'shop', workload: 'orders' });
  });

  it('two workloads in one app, an L7Api and an L4Service, each with its own name', () => {
    const out = declareOne(DEV, 'broker', ({ scope }) => {
      new L7Api(scope, 'admin', { ...api, name: 'admin', routes: [{ host: 'broker.dev.contoso.com' }] });
      new L4Service(scope, 'mqtt', {
        name: 'mqtt',
        image: 'docker.io/eclipse-mosquitto:2.0.20',
        ports: [{ name: 'mqtts', port: 8883 }],
        exposure: { mode: 'private', allowedSources: ['10.30.0.0/16'] },
        address: { offset: 10 },
      });
    });
    expect(out.get('Deployment', 'admin').metadata.labels['app.kubernetes.io/component']).toBe('l7-api');
    expect(out.get('Deployment', 'mqtt').metadata.labels['app.kubernetes.io/component']).toBe('l4-service');
    expect(out.registry.workloadsOf('broker').map((w) => w.name)).toEqual(['admin', 'mqtt']);
  });
});

describe('namespaces', () => {
  it('every workload registers its app namespace for the baseline', () => {
    const out = declareOne(
      DEV,
      'orders-api',
      ({ scope }) => new L7Api(scope, 'api', { ...api, routes: [{ host: 'orders.dev.contoso.com' }] }),
    );
    expect([...out.registry.namespaces]).toEqual(['orders-api']);
    for (const o of out.objects) expect(o.metadata.namespace).toBe('orders-api');
  });
});

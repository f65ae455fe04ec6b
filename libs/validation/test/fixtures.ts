import type { KubeObject } from '@aks-gitops/cluster-model';

/**
 * One valid object per kind the repo generates, shaped like the synthesizer's output (labels with
 * dots and slashes, annotations, waivers, security contexts), so "passes" means something.
 */
const labels = { 'app.kubernetes.io/name': 'orders-api', 'app.kubernetes.io/part-of': 'shop' };
const meta = (name: string, namespace = 'orders') => ({
  name,
  namespace,
  labels: { ...labels },
  annotations: { 'waivers.aks-gitops.io/no-hpa': 'batch job', 'kustomize.toolkit.fluxcd.io/prune': 'disabled' },
});

export function deployment(name = 'orders-api'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(name),
    spec: {
      replicas: 2,
      revisionHistoryLimit: 5,
      selector: { matchLabels: { ...labels } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      template: {
        metadata: { labels: { ...labels }, annotations: { 'prometheus.io/scrape': 'true' } },
        spec: {
          serviceAccountName: name,
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'topology.kubernetes.io/zone',
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: { matchLabels: { ...labels } },
            },
          ],
          containers: [
            {
              name: 'main',
              image:
                'acr.example.io/orders-api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
              imagePullPolicy: 'IfNotPresent',
              ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
              env: [
                { name: 'LOG_LEVEL', value: 'info' },
                { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              ],
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                capabilities: { drop: ['ALL'] },
              },
              readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 10 },
              livenessProbe: { httpGet: { path: '/live', port: 8080 }, initialDelaySeconds: 5 },
              startupProbe: { tcpSocket: { port: 8080 }, failureThreshold: 30, periodSeconds: 2 },
              volumeMounts: [
                { name: 'tmp', mountPath: '/tmp' },
                { name: 'secrets', mountPath: '/mnt/secrets', readOnly: true },
              ],
            },
          ],
          volumes: [
            { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
            {
              name: 'secrets',
              csi: {
                driver: 'secrets-store.csi.k8s.io',
                readOnly: true,
                volumeAttributes: { secretProviderClass: name },
              },
            },
          ],
        },
      },
    },
  };
}

export function service(name = 'orders-api'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(name),
    spec: {
      type: 'ClusterIP',
      selector: { ...labels },
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    },
  };
}

export function networkPolicy(name = 'orders-api'): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: meta(name),
    spec: {
      podSelector: { matchLabels: { ...labels } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        {
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gateway' } } }],
          ports: [{ protocol: 'TCP', port: 8080 }],
        },
      ],
      egress: [
        {
          to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }],
          ports: [{ protocol: 'TCP', port: 5432 }],
        },
        {
          to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [{ protocol: 'UDP', port: 53 }],
        },
      ],
    },
  };
}

export function ingress(name = 'orders-api'): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: meta(name),
    spec: {
      ingressClassName: 'azure-application-gateway',
      tls: [{ hosts: ['orders.example.com'], secretName: 'orders-tls' }],
      rules: [
        {
          host: 'orders.example.com',
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name, port: { number: 80 } } } }] },
        },
      ],
    },
  };
}

export function hpa(name = 'orders-api'): KubeObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: meta(name),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
      ],
      behavior: {
        scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }] },
      },
    },
  };
}

export function pdb(name = 'orders-api'): KubeObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: meta(name),
    spec: { maxUnavailable: 1, selector: { matchLabels: { ...labels } } },
  };
}

export function namespace(name = 'orders'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels: { 'pod-security.kubernetes.io/enforce': 'restricted', 'kubernetes.io/metadata.name': name },
      annotations: { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' },
    },
  };
}

export function serviceAccount(name = 'orders-api'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {
      ...meta(name),
      annotations: { 'azure.workload.identity/client-id': '00000000-0000-0000-0000-000000000000' },
    },
    automountServiceAccountToken: false,
  };
}

export function configMap(name = 'orders-api-config'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta(name),
    data: { 'app.yaml': 'feature: on\n', LOG_LEVEL: 'info', 'weird key.with/dots': 'x' },
  };
}

export function gateway(name = 'public'): KubeObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { ...meta(name, 'gateway'), annotations: { 'alb.networking.azure.io/alb-id': '/subscriptions/x/alb' } },
    spec: {
      gatewayClassName: 'azure-alb-external',
      listeners: [
        {
          name: 'https',
          port: 443,
          protocol: 'HTTPS',
          hostname: '*.example.com',
          tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'wildcard-tls' }] },
          allowedRoutes: {
            namespaces: { from: 'Selector', selector: { matchLabels: { 'gateway-access': 'public' } } },
          },
        },
      ],
    },
  };
}

export function httpRoute(name = 'orders-api'): KubeObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: meta(name),
    spec: {
      parentRefs: [{ name: 'public', namespace: 'gateway', sectionName: 'https' }],
      hostnames: ['orders.example.com'],
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: '/api' } }],
          filters: [
            { type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-app', value: 'orders' }] } },
          ],
          backendRefs: [{ name, port: 80, weight: 100 }],
        },
      ],
    },
  };
}

export function gitRepository(name = 'aks-gitops'): KubeObject {
  return {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: meta(name, 'flux-system'),
    spec: {
      interval: '1m0s',
      url: 'https://github.com/example/aks-gitops',
      ref: { branch: 'main' },
      secretRef: { name: 'git-auth' },
    },
  };
}

export function fluxKustomization(name = 'orders-api'): KubeObject {
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: meta(name, 'flux-system'),
    spec: {
      interval: '10m0s',
      retryInterval: '1m0s',
      timeout: '5m0s',
      path: './clusters/aks-dev-weu/orders-api',
      prune: true,
      wait: true,
      targetNamespace: 'orders',
      sourceRef: { kind: 'GitRepository', name: 'aks-gitops' },
      dependsOn: [{ name: 'platform' }],
      postBuild: { substitute: { CLUSTER: 'aks-dev-weu', 'REGION.NAME': 'westeurope' } },
      commonMetadata: { labels: { 'team.example.com/owner': 'orders' } },
      patches: [{ patch: '- op: add\n  path: /x\n  value: 1\n', target: { kind: 'Deployment', name } }],
    },
  };
}

export function secretProviderClass(name = 'orders-api'): KubeObject {
  return {
    apiVersion: 'secrets-store.csi.x-k8s.io/v1',
    kind: 'SecretProviderClass',
    metadata: meta(name),
    spec: {
      provider: 'azure',
      parameters: {
        usePodIdentity: 'false',
        clientID: '00000000-0000-0000-0000-000000000000',
        keyvaultName: 'kv-orders',
        tenantId: '11111111-1111-1111-1111-111111111111',
        objects: 'array:\n  - |\n    objectName: db-password\n    objectType: secret\n',
      },
      secretObjects: [
        {
          secretName: 'orders-db',
          type: 'Opaque',
          labels: { a: 'b' },
          data: [{ objectName: 'db-password', key: 'password' }],
        },
      ],
    },
  };
}

export function wafPolicy(name = 'orders-waf'): KubeObject {
  return {
    apiVersion: 'alb.networking.azure.io/v1',
    kind: 'WebApplicationFirewallPolicy',
    metadata: meta(name, 'gateway'),
    spec: {
      targetRef: {
        group: 'gateway.networking.k8s.io',
        kind: 'Gateway',
        name: 'public',
        namespace: 'gateway',
        sectionNames: ['https'],
      },
      webApplicationFirewall: {
        id: '/subscriptions/x/resourceGroups/y/providers/Microsoft.Network/applicationGatewayWebApplicationFirewallPolicies/z',
      },
    },
  };
}

export function applicationLoadBalancer(name = 'alb'): KubeObject {
  return {
    apiVersion: 'alb.networking.azure.io/v1',
    kind: 'ApplicationLoadBalancer',
    metadata: meta(name, 'alb-infra'),
    spec: {
      associations: [
        '/subscriptions/x/resourceGroups/y/providers/Microsoft.Network/virtualNetworks/v/subnets/snet-agc',
      ],
    },
  };
}

export function healthCheckPolicy(name = 'orders'): KubeObject {
  return {
    apiVersion: 'alb.networking.azure.io/v1',
    kind: 'HealthCheckPolicy',
    metadata: meta(name, 'orders'),
    spec: {
      targetRef: { group: '', kind: 'Service', name, namespace: 'orders' },
      default: {
        interval: '5s',
        timeout: '3s',
        healthyThreshold: 1,
        unhealthyThreshold: 3,
        port: 8080,
        http: { path: '/readyz', match: { statusCodes: [{ start: 200, end: 399 }] } },
        useTLS: false,
      },
    },
  };
}

export function backendTlsPolicy(name = 'orders'): KubeObject {
  return {
    apiVersion: 'alb.networking.azure.io/v1',
    kind: 'BackendTLSPolicy',
    metadata: meta(name, 'orders'),
    spec: {
      targetRef: { group: '', kind: 'Service', name, namespace: 'orders' },
      default: { sni: 'orders.contoso.com', ports: [{ port: 443 }] },
    },
  };
}

export function kustomizationFile(): KubeObject {
  return {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    metadata: { name: 'orders-api' },
    resources: ['deployment-orders-api.yaml', 'service-orders-api.yaml'],
  };
}

/** A realistic synthesized cluster: `workloads` × (Deployment, Service, NetworkPolicy, PDB, HPA, SA, SPC). */
export function syntheticCluster(objects: number): KubeObject[] {
  const makers = [deployment, service, networkPolicy, pdb, hpa, serviceAccount, secretProviderClass];
  const out: KubeObject[] = [];
  for (let i = 0; out.length < objects; i++) {
    for (const make of makers) {
      if (out.length < objects) out.push(make(`app-${i}`));
    }
  }
  return out;
}

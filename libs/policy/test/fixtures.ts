import type { KubeObject, ManifestDocument } from '@aks-gitops/cluster-model';
import type { PolicyCluster, PolicyInput } from '@aks-gitops/policy';

/*
 * A fully compliant cluster, built fresh per test, that bad-case tests break one field at a time.
 * It mirrors the generated layout: a platform baseline, one app folder, and the Flux objects.
 */

export const CLUSTER = 'aks-dev-weu';
export const PROD_CLUSTER = 'aks-prod-weu';
export const APP = 'orders-api';
export const DIGEST = `sha256:${'a'.repeat(64)}`;
export const WAF_POLICY =
  '/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/waf';

export const KUBERNETES_VERSION = '1.30';
export const ALLOWED_REGISTRIES = ['acr.azurecr.io'] as const;
export const INGRESS_CLASS = 'azure-application-gateway';
export const GATEWAY_CLASS = 'azure-alb-external';

/** How findings name the fixture app's Deployment and Service (`Kind namespace/name`). */
export const DEPLOYMENT = `Deployment ${APP}/${APP}`;
export const SERVICE = `Service ${APP}/${APP}`;

export type Mutable = Record<string, unknown>;

export interface FixtureOptions {
  cluster?: string;
  environment?: string;
  app?: string;
  /** Add an HPA; the Deployment then omits spec.replicas, as the synthesizer does. */
  autoscaled?: boolean;
  /** L4: an internal LoadBalancer Service instead of ClusterIP + Ingress. */
  l4?: boolean;
  /** L7 through the Gateway API (HTTPRoute + shared Gateway) instead of an AGIC Ingress. */
  gatewayApi?: boolean;
}

export class Fixture {
  readonly cluster: string;
  readonly environment: string;
  readonly app: string;
  readonly documents: ManifestDocument[] = [];
  readonly existingPaths = new Set<string>();
  readonly gatewayApi: boolean;

  constructor(options: FixtureOptions = {}) {
    this.gatewayApi = options.gatewayApi ?? false;
    this.cluster = options.cluster ?? CLUSTER;
    this.environment = options.environment ?? 'dev';
    this.app = options.app ?? APP;
    this.addPlatform(options);
    this.addApp(options);
    this.addFlux();
  }

  input(overrides: Partial<PolicyInput> = {}): PolicyInput {
    const clusters: PolicyCluster[] = [
      {
        name: this.cluster,
        environment: this.environment,
        kubernetesVersion: KUBERNETES_VERSION,
        allowedRegistries: [...ALLOWED_REGISTRIES],
        l7: this.gatewayApi
          ? { kind: 'gateway-api', gatewayClassName: GATEWAY_CLASS }
          : { kind: 'agic', ingressClassName: INGRESS_CLASS },
      },
    ];
    return { documents: this.documents, clusters, existingPaths: this.existingPaths, ...overrides };
  }

  add(folder: string, object: KubeObject): KubeObject {
    const file = `${folder}/${object.kind.toLowerCase()}-${object.metadata.name}.yaml`;
    this.documents.push({ file, object });
    return object;
  }

  find(kind: string, name: string): KubeObject {
    const found = this.documents.find(
      (document) => document.object.kind === kind && document.object.metadata.name === name,
    );
    if (!found) throw new Error(`fixture has no ${kind} ${name}`);
    return found.object;
  }

  remove(kind: string, name: string): void {
    const position = this.documents.findIndex(
      (document) => document.object.kind === kind && document.object.metadata.name === name,
    );
    if (position === -1) throw new Error(`fixture has no ${kind} ${name}`);
    this.documents.splice(position, 1);
  }

  deployment(): KubeObject {
    return this.find('Deployment', this.app);
  }

  podTemplate(): Mutable {
    return (this.deployment().spec as Mutable).template as Mutable;
  }

  podSpec(): Mutable {
    return this.podTemplate().spec as Mutable;
  }

  podSecurityContext(): Mutable {
    return this.podSpec().securityContext as Mutable;
  }

  container(index = 0): Mutable {
    return (this.podSpec().containers as Mutable[])[index];
  }

  containerSecurityContext(index = 0): Mutable {
    return this.container(index).securityContext as Mutable;
  }

  spec(kind: string, name: string): Mutable {
    return this.find(kind, name).spec as Mutable;
  }

  annotate(kind: string, name: string, key: string, value: string): void {
    const metadata = this.find(kind, name).metadata;
    metadata.annotations = { ...(metadata.annotations ?? {}), [key]: value };
  }

  /**
   * The app's pods use Azure Workload Identity: they opt in by label and mount the projected token
   * (the app's ServiceAccount keeps automount off).
   */
  useWorkloadIdentity(): void {
    this.podSpec().automountServiceAccountToken = true;
    (this.podTemplate().metadata as Mutable).labels = {
      'app.kubernetes.io/name': this.app,
      'azure.workload.identity/use': 'true',
    };
  }

  /** On a Gateway API fixture: a plain HTTP listener on the shared Gateway whose only route redirects to https. */
  addHttpsRedirect(): void {
    (this.spec('Gateway', 'shared').listeners as Mutable[]).push({ name: 'http', protocol: 'HTTP', port: 80 });
    this.add(this.platformFolder, {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'https-redirect', namespace: 'gateway' },
      spec: {
        parentRefs: [{ name: 'shared', sectionName: 'http' }],
        rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
      },
    });
  }

  get platformFolder(): string {
    return `clusters/${this.cluster}/platform`;
  }

  get appFolder(): string {
    return `clusters/${this.cluster}/${this.app}`;
  }

  private addPlatform(options: FixtureOptions): void {
    const folder = this.platformFolder;
    this.existingPaths.add(folder);
    this.add(folder, namespaceObject(this.app));
    this.add(folder, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'default-deny', namespace: this.app },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    this.add(folder, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'allow-dns', namespace: this.app },
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
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
        ],
      },
    });
    if (options.gatewayApi) {
      this.add(folder, namespaceObject('gateway'));
      this.add(folder, {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: { name: 'shared', namespace: 'gateway' },
        spec: {
          gatewayClassName: 'azure-alb-external',
          listeners: [
            {
              name: 'https',
              protocol: 'HTTPS',
              port: 443,
              tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'gateway-tls' }] },
              allowedRoutes: { namespaces: { from: 'All' } },
            },
          ],
        },
      });
      this.add(folder, {
        apiVersion: 'secrets-store.csi.x-k8s.io/v1',
        kind: 'SecretProviderClass',
        metadata: { name: 'gateway-tls', namespace: 'gateway' },
        spec: {
          provider: 'azure',
          parameters: { keyvaultName: 'kv', clientID: '00000000-0000-0000-0000-000000000000', tenantId: 't' },
        },
      });
    }
  }

  private addApp(options: FixtureOptions): void {
    const folder = this.appFolder;
    const app = this.app;
    const labels = { 'app.kubernetes.io/name': app };
    this.existingPaths.add(folder);
    this.documents.push({
      file: `${folder}/kustomization.yaml`,
      object: {
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        metadata: { name: 'kustomization' },
        resources: [],
      },
    });
    this.add(folder, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: app, namespace: app },
      automountServiceAccountToken: false,
    });
    const image = this.environment === 'prod' ? `acr.azurecr.io/${app}:1.4.2@${DIGEST}` : `acr.azurecr.io/${app}:1.4.2`;
    this.add(folder, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: app, namespace: app, labels },
      spec: {
        ...(options.autoscaled ? {} : { replicas: 2 }),
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: app,
            automountServiceAccountToken: false,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 10001,
              runAsGroup: 10001,
              fsGroup: 10001,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [
              {
                name: 'app',
                image,
                ports: [{ name: 'http', containerPort: 8080 }],
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                },
                resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
                readinessProbe: { httpGet: { path: '/healthz', port: 'http' } },
                livenessProbe: { httpGet: { path: '/livez', port: 'http' } },
                volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
              },
            ],
            volumes: [
              { name: 'tmp', emptyDir: {} },
              {
                name: 'secrets',
                csi: {
                  driver: 'secrets-store.csi.k8s.io',
                  readOnly: true,
                  volumeAttributes: { secretProviderClass: app },
                },
              },
            ],
          },
        },
      },
    });
    this.add(folder, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: app,
        namespace: app,
        ...(options.l4
          ? {
              annotations: {
                'service.beta.kubernetes.io/azure-load-balancer-internal': 'true',
                'service.beta.kubernetes.io/azure-load-balancer-ipv4': '10.240.4.10',
                'service.beta.kubernetes.io/azure-deny-all-except-load-balancer-source-ranges': 'true',
              },
            }
          : {}),
      },
      spec: {
        type: options.l4 ? 'LoadBalancer' : 'ClusterIP',
        ...(options.l4 ? { externalTrafficPolicy: 'Local', loadBalancerSourceRanges: ['10.0.1.0/26'] } : {}),
        selector: labels,
        ports: [{ name: 'http', port: 80, targetPort: 'http' }],
      },
    });
    this.add(folder, {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: app, namespace: app },
      spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
    });
    this.add(folder, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: app, namespace: app },
      spec: {
        podSelector: { matchLabels: labels },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [{ ipBlock: { cidr: '10.240.2.0/24' } }], ports: [{ port: 8080, protocol: 'TCP' }] }],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'payments' } },
                podSelector: { matchLabels: { 'app.kubernetes.io/name': 'payments' } },
              },
            ],
          },
        ],
      },
    });
    this.add(folder, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: app, namespace: app },
      data: { LOG_LEVEL: 'info' },
    });
    this.add(folder, {
      apiVersion: 'secrets-store.csi.x-k8s.io/v1',
      kind: 'SecretProviderClass',
      metadata: { name: app, namespace: app },
      spec: {
        provider: 'azure',
        parameters: { keyvaultName: 'kv', clientID: '00000000-0000-0000-0000-000000000000', tenantId: 't' },
      },
    });
    if (options.autoscaled) {
      this.add(folder, {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: app, namespace: app },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: app },
          minReplicas: 2,
          maxReplicas: 6,
        },
      });
    }
    if (options.gatewayApi) {
      this.add(folder, {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: app, namespace: app },
        spec: {
          parentRefs: [{ name: 'shared', namespace: 'gateway', sectionName: 'https' }],
          hostnames: [`${app}.example.com`],
          rules: [{ backendRefs: [{ name: app, port: 80 }] }],
        },
      });
      this.add(folder, {
        apiVersion: 'alb.networking.azure.io/v1',
        kind: 'WebApplicationFirewallPolicy',
        metadata: { name: app, namespace: app },
        spec: {
          targetRef: { group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: app, namespace: app },
          webApplicationFirewall: { id: WAF_POLICY },
        },
      });
    } else if (!options.l4) {
      this.add(folder, {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: {
          name: app,
          namespace: app,
          annotations: {
            'appgw.ingress.kubernetes.io/appgw-ssl-certificate': 'wildcard-cert',
            'appgw.ingress.kubernetes.io/ssl-redirect': 'true',
            'appgw.ingress.kubernetes.io/waf-policy-for-path': WAF_POLICY,
          },
        },
        spec: {
          ingressClassName: 'azure-application-gateway',
          rules: [
            {
              host: `${app}.example.com`,
              http: {
                paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: app, port: { number: 80 } } } }],
              },
            },
          ],
        },
      });
    }
  }

  private addFlux(): void {
    const folder = `flux/${this.cluster}`;
    this.existingPaths.add(folder);
    this.existingPaths.add(`${folder}/apps`);
    this.add(folder, {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: 'aks-gitops', namespace: 'flux-system' },
      spec: { interval: '1m', url: 'https://example.com/aks-gitops.git', ref: { branch: 'main' } },
    });
    this.add(folder, {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'platform', namespace: 'flux-system' },
      spec: {
        interval: '10m',
        path: `./clusters/${this.cluster}/platform`,
        prune: true,
        sourceRef: { kind: 'GitRepository', name: 'aks-gitops' },
      },
    });
    this.add(`${folder}/apps`, {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: this.app, namespace: 'flux-system' },
      spec: {
        interval: '10m',
        path: `./clusters/${this.cluster}/${this.app}`,
        prune: true,
        dependsOn: [{ name: 'platform' }],
        sourceRef: { kind: 'GitRepository', name: 'aks-gitops' },
      },
    });
  }
}

export function namespaceObject(name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels: {
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/enforce-version': 'v1.30',
        'pod-security.kubernetes.io/audit': 'restricted',
        'pod-security.kubernetes.io/audit-version': 'v1.30',
        'pod-security.kubernetes.io/warn': 'restricted',
        'pod-security.kubernetes.io/warn-version': 'v1.30',
      },
      annotations: { 'kustomize.toolkit.fluxcd.io/prune': 'disabled' },
    },
  };
}

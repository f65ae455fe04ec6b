import type { KubeObject } from '@aks-gitops/cluster-model';
import type { PolicyInput } from '@aks-gitops/policy';
import type { BadCase, GoodCase } from './cases';
import { APP, DEPLOYMENT, DIGEST, Fixture, PROD_CLUSTER, SERVICE, WAF_POLICY, type Mutable } from './fixtures';

/*
 * Bad and good manifests for the Ingress, secret, registry, API version, pod kind and Service rules
 * (issue 18). rules.spec.ts runs the bad cases with the rest (one mutation, exactly these rules);
 * breadth.spec.ts runs the good ones and the scenarios that need more than one assertion.
 */

const INGRESS = `Ingress ${APP}/${APP}`;
const ROUTE = `HTTPRoute ${APP}/${APP}`;
const SERVICE_ACCOUNT = `ServiceAccount ${APP}/${APP}`;
const GATEWAY = 'Gateway gateway/shared';

/** Every kind that carries a pod template, with where its template lives. */
export const POD_KINDS = [
  'Pod',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Job',
  'CronJob',
] as const;
export type PodKind = (typeof POD_KINDS)[number];
export const RUN_TO_COMPLETION: ReadonlySet<PodKind> = new Set(['Job', 'CronJob']);

const API_VERSIONS: Record<PodKind, string> = {
  Pod: 'v1',
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  ReplicaSet: 'apps/v1',
  ReplicationController: 'v1',
  Job: 'batch/v1',
  CronJob: 'batch/v1',
};

/**
 * A compliant object of `kind` named `name` whose pods are the fixture app's pod (same labels, so the
 * app's NetworkPolicy covers it). Run-to-completion kinds drop the probes and restart Never, as a
 * batch step would; replicated kinds run one replica so no PDB is needed beyond the app's.
 */
export function podObject(
  fixture: Fixture,
  kind: PodKind,
  name: string,
  edit: (pod: Mutable) => void = () => undefined,
): KubeObject {
  const template = structuredClone(fixture.podTemplate());
  const spec = template.spec as Mutable;
  if (RUN_TO_COMPLETION.has(kind)) {
    spec.restartPolicy = 'Never';
    for (const container of spec.containers as Mutable[]) {
      delete container.readinessProbe;
      delete container.livenessProbe;
    }
  }
  edit(template);
  const metadata = { name, namespace: APP, labels: { 'app.kubernetes.io/name': APP } };
  const selector = { matchLabels: { 'app.kubernetes.io/name': APP } };
  const apiVersion = API_VERSIONS[kind];
  switch (kind) {
    case 'Pod':
      return {
        apiVersion,
        kind,
        metadata: { ...metadata, labels: (template.metadata as Mutable).labels as Record<string, string> },
        spec,
      };
    case 'Deployment':
    case 'StatefulSet':
    case 'ReplicaSet':
      return { apiVersion, kind, metadata, spec: { replicas: 1, selector, template } };
    case 'ReplicationController':
      return { apiVersion, kind, metadata, spec: { replicas: 1, selector: selector.matchLabels, template } };
    case 'DaemonSet':
      return { apiVersion, kind, metadata, spec: { selector, template } };
    case 'Job':
      return { apiVersion, kind, metadata, spec: { backoffLimit: 2, template } };
    case 'CronJob':
      return { apiVersion, kind, metadata, spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template } } } };
  }
}

function privileged(pod: Mutable): void {
  for (const container of (pod.spec as Mutable).containers as Mutable[])
    (container.securityContext as Mutable).privileged = true;
}

function withoutProbes(pod: Mutable): void {
  for (const container of (pod.spec as Mutable).containers as Mutable[]) {
    delete container.readinessProbe;
    delete container.livenessProbe;
  }
}

function ingressRules(fixture: Fixture): Mutable[] {
  return fixture.spec('Ingress', APP).rules as Mutable[];
}

function gatewayListeners(fixture: Fixture): Mutable[] {
  return fixture.spec('Gateway', 'shared').listeners as Mutable[];
}

function addCompliantIngress(fixture: Fixture, name: string, className: string): void {
  fixture.add(fixture.appFolder, {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name,
      namespace: APP,
      annotations: {
        'appgw.ingress.kubernetes.io/appgw-ssl-certificate': 'cert',
        'appgw.ingress.kubernetes.io/ssl-redirect': 'true',
        'appgw.ingress.kubernetes.io/waf-policy-for-path': WAF_POLICY,
      },
    },
    spec: {
      ingressClassName: className,
      rules: [
        {
          host: `${name}.example.com`,
          http: {
            paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: APP, port: { number: 80 } } } }],
          },
        },
      ],
    },
  });
}

export const BREADTH_BAD_CASES: BadCase[] = [
  // 1. Ingress and routes
  {
    name: 'certificate without ssl-redirect',
    ruleId: 'ingress-ssl-redirect',
    severity: 'error',
    object: INGRESS,
    mutate: (f) => delete f.find('Ingress', APP).metadata.annotations?.['appgw.ingress.kubernetes.io/ssl-redirect'],
  },
  {
    name: 'ssl-redirect "false"',
    ruleId: 'ingress-ssl-redirect',
    severity: 'error',
    object: INGRESS,
    mutate: (f) => f.annotate('Ingress', APP, 'appgw.ingress.kubernetes.io/ssl-redirect', 'false'),
  },
  {
    name: 'spec.tls that misses a routed host',
    ruleId: 'ingress-tls-covers-hosts',
    severity: 'error',
    object: INGRESS,
    mutate: (f) => {
      f.spec('Ingress', APP).tls = [{ hosts: [`${APP}.example.com`], secretName: 'tls' }];
      ingressRules(f).push({
        host: 'admin.example.com',
        http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: APP, port: { number: 80 } } } }] },
      });
    },
  },
  {
    name: 'wildcard TLS host covers only one label',
    ruleId: 'ingress-tls-covers-hosts',
    severity: 'error',
    object: INGRESS,
    mutate: (f) => (f.spec('Ingress', APP).tls = [{ hosts: ['*.com'], secretName: 'tls' }]),
  },
  {
    name: 'Ingress rule with a wildcard host',
    ruleId: 'ingress-explicit-host',
    severity: 'error',
    object: INGRESS,
    mutate: (f) => (ingressRules(f)[0].host = '*.example.com'),
  },
  {
    name: 'Ingress rule without a host',
    ruleId: 'ingress-explicit-host',
    severity: 'error',
    object: INGRESS,
    mutate: (f) => delete ingressRules(f)[0].host,
  },
  {
    name: 'HTTPRoute without hostnames',
    ruleId: 'ingress-explicit-host',
    severity: 'error',
    object: ROUTE,
    options: { gatewayApi: true },
    mutate: (f) => delete f.spec('HTTPRoute', APP).hostnames,
  },
  {
    name: 'HTTPRoute with a wildcard hostname',
    ruleId: 'ingress-explicit-host',
    severity: 'error',
    object: ROUTE,
    options: { gatewayApi: true },
    mutate: (f) => (f.spec('HTTPRoute', APP).hostnames = ['*.example.com']),
  },
  {
    name: 'Ingress with only a default backend',
    ruleId: 'ingress-default-backend',
    severity: 'error',
    object: INGRESS,
    mutate: (f) => {
      const spec = f.spec('Ingress', APP);
      delete spec.rules;
      spec.defaultBackend = { service: { name: APP, port: { number: 80 } } };
    },
  },
  {
    name: 'IngressClass of another controller',
    ruleId: 'ingress-class',
    severity: 'error',
    object: INGRESS,
    mutate: (f) => (f.spec('Ingress', APP).ingressClassName = 'nginx'),
  },
  {
    name: 'Ingress without a class',
    ruleId: 'ingress-class',
    severity: 'error',
    object: INGRESS,
    mutate: (f) => delete f.spec('Ingress', APP).ingressClassName,
  },
  {
    name: 'Ingress on a gateway-api cluster',
    ruleId: 'ingress-class',
    severity: 'error',
    object: `Ingress ${APP}/extra`,
    options: { gatewayApi: true },
    mutate: (f) => addCompliantIngress(f, 'extra', 'azure-application-gateway'),
  },
  {
    name: 'GatewayClass of another implementation',
    ruleId: 'gateway-class',
    severity: 'error',
    object: GATEWAY,
    options: { gatewayApi: true },
    mutate: (f) => (f.spec('Gateway', 'shared').gatewayClassName = 'istio'),
  },
  {
    name: 'Gateway on an agic cluster',
    ruleId: 'gateway-class',
    severity: 'error',
    object: GATEWAY,
    options: { gatewayApi: true },
    mutate: () => undefined,
    input: (f) => ({
      clusters: [
        {
          name: f.cluster,
          environment: f.environment,
          l7: { kind: 'agic', ingressClassName: 'azure-application-gateway' },
        },
      ],
    }),
  },
  {
    name: 'app route attached to a plain HTTP listener',
    ruleId: 'gateway-listener-tls',
    severity: 'error',
    object: GATEWAY,
    options: { gatewayApi: true },
    mutate: (f) => {
      gatewayListeners(f).push({
        name: 'http',
        protocol: 'HTTP',
        port: 80,
        allowedRoutes: { namespaces: { from: 'All' } },
      });
      (f.spec('HTTPRoute', APP).parentRefs as Mutable[]).push({
        name: 'shared',
        namespace: 'gateway',
        sectionName: 'http',
      });
    },
  },

  // 2. Secrets and tokens
  {
    name: 'env var from secretKeyRef',
    ruleId: 'env-from-secret',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) =>
      (f.container().env = [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }]),
  },
  {
    name: 'envFrom secretRef',
    ruleId: 'env-from-secret',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) => (f.container().envFrom = [{ configMapRef: { name: APP } }, { secretRef: { name: 'db' } }]),
  },
  {
    name: 'legacy service-account token Secret',
    ruleId: 'no-service-account-token-secret',
    severity: 'error',
    object: `Secret ${APP}/${APP}-token`,
    mutate: (f) =>
      f.add(f.appFolder, {
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'kubernetes.io/service-account-token',
        metadata: { name: `${APP}-token`, namespace: APP, annotations: { 'kubernetes.io/service-account.name': APP } },
      }),
  },
  {
    name: 'ServiceAccount leaves automount on',
    ruleId: 'service-account-automount',
    severity: 'error',
    object: SERVICE_ACCOUNT,
    mutate: (f) => delete f.find('ServiceAccount', APP).automountServiceAccountToken,
  },
  {
    name: 'ServiceAccount automount true',
    ruleId: 'service-account-automount',
    severity: 'error',
    object: SERVICE_ACCOUNT,
    mutate: (f) => (f.find('ServiceAccount', APP).automountServiceAccountToken = true),
  },
  {
    name: 'ServiceAccount lists secrets',
    ruleId: 'service-account-secrets-list',
    severity: 'error',
    object: SERVICE_ACCOUNT,
    mutate: (f) => (f.find('ServiceAccount', APP).secrets = [{ name: `${APP}-token` }]),
  },

  // 3. Trusted registries
  {
    name: 'Docker Hub image in dev (warning)',
    ruleId: 'image-registry',
    severity: 'warning',
    object: DEPLOYMENT,
    mutate: (f) => (f.container().image = 'nginx:1.27.3'),
  },
  {
    name: 'host that only starts like the allowed one',
    ruleId: 'image-registry',
    severity: 'warning',
    object: DEPLOYMENT,
    mutate: (f) => (f.container().image = 'acr.azurecr.io.evil.example/orders-api:1.4.2'),
  },
  {
    name: 'allowed host as a path of another registry',
    ruleId: 'image-registry',
    severity: 'warning',
    object: DEPLOYMENT,
    mutate: (f) => (f.container().image = 'evil.example/acr.azurecr.io/orders-api:1.4.2'),
  },
  {
    name: 'path prefix matches whole segments only',
    ruleId: 'image-registry',
    severity: 'warning',
    object: DEPLOYMENT,
    mutate: (f) => (f.container().image = 'ghcr.io/contoso-evil/orders-api:1.4.2'),
    input: (f) => ({
      clusters: [{ name: f.cluster, environment: f.environment, allowedRegistries: ['ghcr.io/contoso'] }],
    }),
  },
  {
    name: 'unknown registry in prod (error)',
    ruleId: 'image-registry',
    severity: 'error',
    object: DEPLOYMENT,
    options: { cluster: PROD_CLUSTER, environment: 'prod' },
    mutate: (f) => (f.container().image = `quay.io/someone/orders-api:1.4.2@${DIGEST}`),
  },

  // 4. API versions (cluster on Kubernetes 1.30)
  {
    name: 'PodDisruptionBudget policy/v1beta1 (removed in 1.25)',
    ruleId: 'api-version-deprecated',
    severity: 'error',
    object: `PodDisruptionBudget ${APP}/${APP}`,
    mutate: (f) => (f.find('PodDisruptionBudget', APP).apiVersion = 'policy/v1beta1'),
  },
  {
    name: 'HPA autoscaling/v2beta2 (removed in 1.26)',
    ruleId: 'api-version-deprecated',
    severity: 'error',
    object: `HorizontalPodAutoscaler ${APP}/${APP}`,
    options: { autoscaled: true },
    mutate: (f) => (f.find('HorizontalPodAutoscaler', APP).apiVersion = 'autoscaling/v2beta2'),
  },
  {
    name: 'Ingress networking.k8s.io/v1beta1 (removed in 1.22)',
    ruleId: 'api-version-deprecated',
    severity: 'error',
    object: INGRESS,
    mutate: (f) => (f.find('Ingress', APP).apiVersion = 'networking.k8s.io/v1beta1'),
  },
  {
    name: 'CronJob batch/v1beta1 (removed in 1.25)',
    ruleId: 'api-version-deprecated',
    severity: 'error',
    object: `CronJob ${APP}/nightly`,
    mutate: (f) => {
      const cronJob = podObject(f, 'CronJob', 'nightly');
      cronJob.apiVersion = 'batch/v1beta1';
      f.add(f.appFolder, cronJob);
    },
  },
  {
    name: 'FlowSchema flowcontrol v1beta3 (deprecated in 1.29)',
    ruleId: 'api-version-deprecated',
    severity: 'error',
    object: 'FlowSchema batch-clients',
    mutate: (f) =>
      f.add(f.platformFolder, {
        apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3',
        kind: 'FlowSchema',
        metadata: { name: 'batch-clients' },
        spec: { priorityLevelConfiguration: { name: 'workload-low' } },
      }),
  },
  {
    name: 'HTTPRoute gateway.networking.k8s.io/v1beta1 (v1 exists)',
    ruleId: 'api-version-deprecated',
    severity: 'error',
    object: ROUTE,
    options: { gatewayApi: true },
    mutate: (f) => (f.find('HTTPRoute', APP).apiVersion = 'gateway.networking.k8s.io/v1beta1'),
  },

  // 5. Every pod kind: long-running bare Pods and DaemonSets need probes, run-to-completion pods still get every security rule.
  {
    name: 'bare Pod without probes',
    ruleId: 'readiness-probe',
    severity: 'error',
    object: `Pod ${APP}/worker`,
    mutate: (f) => f.add(f.appFolder, podObject(f, 'Pod', 'worker', withoutProbes)),
    alsoBreaks: ['liveness-probe'],
  },
  {
    name: 'DaemonSet without probes',
    ruleId: 'liveness-probe',
    severity: 'error',
    object: `DaemonSet ${APP}/agent`,
    mutate: (f) => f.add(f.appFolder, podObject(f, 'DaemonSet', 'agent', withoutProbes)),
    alsoBreaks: ['readiness-probe'],
  },
  {
    name: 'privileged Job',
    ruleId: 'pss-privileged',
    severity: 'error',
    object: `Job ${APP}/migrate`,
    mutate: (f) => f.add(f.appFolder, podObject(f, 'Job', 'migrate', privileged)),
  },
  {
    name: 'Job without resources',
    ruleId: 'container-resources',
    severity: 'error',
    object: `Job ${APP}/migrate`,
    mutate: (f) =>
      f.add(
        f.appFolder,
        podObject(f, 'Job', 'migrate', (pod) => delete ((pod.spec as Mutable).containers as Mutable[])[0].resources),
      ),
  },
  {
    name: 'StatefulSet image from an unknown registry',
    ruleId: 'image-registry',
    severity: 'warning',
    object: `StatefulSet ${APP}/migrate`,
    mutate: (f) =>
      f.add(
        f.appFolder,
        podObject(
          f,
          'StatefulSet',
          'migrate',
          (pod) => (((pod.spec as Mutable).containers as Mutable[])[0].image = 'docker.io/flyway/flyway:10.17'),
        ),
      ),
  },

  // 6. Services
  {
    name: 'ExternalName Service',
    ruleId: 'service-external-name',
    severity: 'error',
    object: `Service ${APP}/legacy-db`,
    mutate: (f) =>
      f.add(f.appFolder, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'legacy-db', namespace: APP },
        spec: { type: 'ExternalName', externalName: 'db.partner.example.com' },
      }),
  },
  {
    name: 'LoadBalancer without source ranges',
    ruleId: 'service-lb-source-ranges',
    severity: 'error',
    object: SERVICE,
    options: { l4: true },
    mutate: (f) => delete f.spec('Service', APP).loadBalancerSourceRanges,
  },
  {
    name: 'LoadBalancer source range 0.0.0.0/0',
    ruleId: 'service-lb-source-ranges',
    severity: 'error',
    object: SERVICE,
    options: { l4: true },
    mutate: (f) => (f.spec('Service', APP).loadBalancerSourceRanges = ['0.0.0.0/0']),
  },
  {
    name: 'internal LoadBalancer ranges not enforced',
    ruleId: 'service-lb-source-ranges',
    severity: 'error',
    object: SERVICE,
    options: { l4: true },
    mutate: (f) =>
      delete f.find('Service', APP).metadata.annotations?.[
        'service.beta.kubernetes.io/azure-deny-all-except-load-balancer-source-ranges'
      ],
  },
];

export const BREADTH_GOOD_CASES: GoodCase[] = [
  [
    'a wildcard spec.tls host covers one label',
    (f) => (f.spec('Ingress', APP).tls = [{ hosts: ['*.example.com'], secretName: 'tls' }]),
    undefined,
  ],
  [
    'every host listed in spec.tls',
    (f) => {
      ingressRules(f).push({
        host: 'admin.example.com',
        http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: APP, port: { number: 80 } } } }] },
      });
      f.spec('Ingress', APP).tls = [{ hosts: [`${APP}.example.com`, 'admin.example.com'], secretName: 'tls' }];
    },
    undefined,
  ],
  [
    "the legacy ingress.class annotation with AGIC's controller value",
    (f) => {
      delete f.spec('Ingress', APP).ingressClassName;
      f.annotate('Ingress', APP, 'kubernetes.io/ingress.class', 'azure/application-gateway');
    },
    undefined,
  ],
  [
    'env from a ConfigMap and the downward API',
    (f) =>
      (f.container().env = [
        { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'MODE', valueFrom: { configMapKeyRef: { name: APP, key: 'LOG_LEVEL' } } },
      ]),
    undefined,
  ],
  [
    'an opaque Secret without data is not a token Secret',
    (f) =>
      f.add(f.appFolder, {
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'Opaque',
        metadata: { name: 'synced', namespace: APP },
      }),
    undefined,
  ],
  [
    'Workload Identity pod opts into the token while its ServiceAccount keeps automount off',
    (f) => {
      f.useWorkloadIdentity();
      f.annotate('ServiceAccount', APP, 'azure.workload.identity/client-id', '00000000-0000-0000-0000-000000000000');
    },
    undefined,
  ],
  [
    'an image from an allowed registry by digest only',
    (f) => (f.container().image = `acr.azurecr.io/team/orders-api@${DIGEST}`),
    undefined,
  ],
  ['the same host with a different case', (f) => (f.container().image = 'ACR.azurecr.io/orders-api:1.4.2'), undefined],
  [
    'a bare Pod that runs to completion needs no probes',
    (f) =>
      f.add(
        f.appFolder,
        podObject(f, 'Pod', 'once', (pod) => {
          withoutProbes(pod);
          (pod.spec as Mutable).restartPolicy = 'Never';
        }),
      ),
    undefined,
  ],
  ['a redirect-only HTTPRoute may answer for every host', (f) => f.addHttpsRedirect(), { gatewayApi: true }],
  [
    'LoadBalancer restricted by azure-allowed-service-tags',
    (f) => {
      delete f.spec('Service', APP).loadBalancerSourceRanges;
      f.annotate('Service', APP, 'service.beta.kubernetes.io/azure-allowed-service-tags', 'AzureFrontDoor.Backend');
    },
    { l4: true },
  ],
  [
    'public-via-firewall: only the AzureFirewallSubnet may reach the LB',
    (f) => (f.spec('Service', APP).loadBalancerSourceRanges = ['10.0.1.0/26']),
    { l4: true },
  ],
];

/** Inputs for the FlowSchema good case: the cluster runs 1.28. */
export function onKubernetes(fixture: Fixture, version: string): Partial<PolicyInput> {
  const [cluster] = fixture.input().clusters;
  return { clusters: [{ ...cluster, kubernetesVersion: version }] };
}

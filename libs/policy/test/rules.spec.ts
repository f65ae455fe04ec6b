import { APP_ALLOWED_KINDS } from '@aks-gitops/cluster-model';
import { evaluate, RULES, type Finding } from '@aks-gitops/policy';
import { BREADTH_BAD_CASES } from './breadth-cases';
import type { BadCase, GoodCase } from './cases';
import {
  APP,
  CLUSTER,
  DEPLOYMENT,
  DIGEST,
  Fixture,
  PROD_CLUSTER,
  SERVICE,
  WAF_POLICY,
  type FixtureOptions,
  type Mutable,
} from './fixtures';
import { addApplierRbac, moveFluxToTenant, TENANCY_BAD_CASES } from './tenancy-cases';

const NAMESPACE = `Namespace ${APP}`;
const APP_POLICY = `NetworkPolicy ${APP}/${APP}`;
const APP_KUSTOMIZATION = `Kustomization flux-system/${APP}`;

/** A compliant extra container, so a case can break exactly one field of an init or ephemeral container. */
function compliantContainer(name: string): Mutable {
  return {
    name,
    image: 'acr.azurecr.io/tools:2.0.1',
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
    resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '32Mi' } },
  };
}

const BAD_CASES: BadCase[] = [
  // Pod Security Standards
  {
    name: 'gcePersistentDisk volume',
    ruleId: 'pss-restricted-volume-types',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) => (f.podSpec().volumes as Mutable[]).push({ name: 'disk', gcePersistentDisk: { pdName: 'x' } }),
  },
  {
    name: 'hostPath volume',
    ruleId: 'pss-host-path',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) =>
      (f.podSpec().volumes as Mutable[]).push({ name: 'sock', hostPath: { path: '/var/run/docker.sock' } }),
  },
  {
    name: 'allowPrivilegeEscalation unset',
    ruleId: 'pss-allow-privilege-escalation',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) => delete f.containerSecurityContext().allowPrivilegeEscalation,
  },
  {
    name: 'initContainer allowPrivilegeEscalation true',
    ruleId: 'pss-allow-privilege-escalation',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) => {
      const init = compliantContainer('migrate');
      (init.securityContext as Mutable).allowPrivilegeEscalation = true;
      f.podSpec().initContainers = [init];
    },
  },
  {
    name: 'pod runAsNonRoot false',
    ruleId: 'pss-run-as-non-root',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) => (f.podSecurityContext().runAsNonRoot = false),
  },
  {
    name: 'runAsNonRoot nowhere',
    ruleId: 'pss-run-as-non-root',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) => delete f.podSecurityContext().runAsNonRoot,
  },
  {
    name: 'container runAsUser 0',
    ruleId: 'pss-run-as-user',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) => (f.containerSecurityContext().runAsUser = 0),
    alsoBreaks: ['pod-high-uid-gid'],
  },
  {
    name: 'no seccomp profile',
    ruleId: 'pss-seccomp-profile',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) => delete f.podSecurityContext().seccompProfile,
  },
  {
    name: 'container seccomp Unconfined',
    ruleId: 'pss-seccomp-profile',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) => (f.containerSecurityContext().seccompProfile = { type: 'Unconfined' }),
  },
  {
    name: 'drop NET_RAW only',
    ruleId: 'pss-capabilities-drop-all',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) => (f.containerSecurityContext().capabilities = { drop: ['NET_RAW'] }),
  },
  {
    name: 'ephemeral container keeps capabilities',
    ruleId: 'pss-capabilities-drop-all',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) => {
      const debug = compliantContainer('debug');
      delete debug.resources;
      (debug.securityContext as Mutable).capabilities = {};
      f.podSpec().ephemeralContainers = [debug];
    },
  },
  {
    name: 'add SYS_ADMIN',
    ruleId: 'pss-capabilities-add',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) => ((f.containerSecurityContext().capabilities as Mutable).add = ['SYS_ADMIN']),
  },
  {
    name: 'hostNetwork',
    ruleId: 'pss-host-namespaces',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) => (f.podSpec().hostNetwork = true),
  },
  {
    name: 'hostPID',
    ruleId: 'pss-host-namespaces',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) => (f.podSpec().hostPID = true),
  },
  {
    name: 'hostPort',
    ruleId: 'pss-host-ports',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) => ((f.container().ports as Mutable[])[0].hostPort = 8080),
  },
  {
    name: 'privileged',
    ruleId: 'pss-privileged',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) => (f.containerSecurityContext().privileged = true),
  },
  {
    name: 'procMount Unmasked',
    ruleId: 'pss-proc-mount',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) => (f.containerSecurityContext().procMount = 'Unmasked'),
  },
  {
    name: 'unsafe sysctl',
    ruleId: 'pss-sysctls',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) => (f.podSecurityContext().sysctls = [{ name: 'net.core.somaxconn', value: '1024' }]),
  },
  {
    name: 'AppArmor Unconfined',
    ruleId: 'pss-apparmor',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) => (f.containerSecurityContext().appArmorProfile = { type: 'Unconfined' }),
  },
  {
    name: 'AppArmor annotation unconfined',
    ruleId: 'pss-apparmor',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) =>
      ((f.podTemplate().metadata as Mutable).annotations = {
        'container.apparmor.security.beta.kubernetes.io/app': 'unconfined',
      }),
  },
  {
    name: 'SELinux spc_t',
    ruleId: 'pss-selinux',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) => (f.podSecurityContext().seLinuxOptions = { type: 'spc_t' }),
  },
  {
    name: 'SELinux user',
    ruleId: 'pss-selinux',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) => (f.containerSecurityContext().seLinuxOptions = { user: 'system_u' }),
  },
  {
    name: 'Windows hostProcess',
    ruleId: 'pss-host-process',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) => (f.containerSecurityContext().windowsOptions = { hostProcess: true }),
  },
  {
    name: 'probe host',
    ruleId: 'pss-probe-host',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) => (((f.container().readinessProbe as Mutable).httpGet as Mutable).host = '10.0.0.1'),
  },
  {
    name: 'UID below 10000',
    ruleId: 'pod-high-uid-gid',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) => (f.podSecurityContext().runAsUser = 1000),
  },
  {
    name: 'GID unset',
    ruleId: 'pod-high-uid-gid',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) => delete f.podSecurityContext().runAsGroup,
  },
  {
    name: 'token automounted',
    ruleId: 'automount-service-account-token',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) => delete f.podSpec().automountServiceAccountToken,
  },
  {
    name: 'CronJob pod template is checked',
    ruleId: 'pss-privileged',
    severity: 'error',
    object: `CronJob ${APP}/cleanup`,
    // CronJobs are not among the kinds an app may emit (APP_ALLOWED_KINDS); the pod rules still judge them.
    alsoBreaks: ['app-allowed-kind'],
    mutate: (f) => {
      const pod = structuredClone(f.podTemplate());
      ((pod.spec as Mutable).containers as Mutable[]).forEach(
        (container) => ((container.securityContext as Mutable).privileged = true),
      );
      (pod.spec as Mutable).restartPolicy = 'Never';
      f.add(f.appFolder, {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: 'cleanup', namespace: APP },
        spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: pod } } },
      });
    },
  },

  // NetworkPolicy
  {
    name: 'no default-deny',
    ruleId: 'netpol-default-deny',
    severity: 'error',
    object: NAMESPACE,
    mutate: (f) => f.remove('NetworkPolicy', 'default-deny'),
  },
  {
    name: 'default-deny only for Ingress',
    ruleId: 'netpol-default-deny',
    severity: 'error',
    object: `NetworkPolicy ${APP}/default-deny`,
    mutate: (f) => (f.spec('NetworkPolicy', 'default-deny').policyTypes = ['Ingress']),
  },
  {
    name: 'no workload policy',
    ruleId: 'netpol-workload-coverage',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) => f.remove('NetworkPolicy', APP),
  },
  {
    name: 'workload policy without egress section',
    ruleId: 'netpol-workload-coverage',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) => delete f.spec('NetworkPolicy', APP).egress,
  },
  {
    name: 'workload policy only Ingress type',
    ruleId: 'netpol-workload-coverage',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) => (f.spec('NetworkPolicy', APP).policyTypes = ['Ingress']),
  },
  {
    name: 'workload policy selects other labels',
    ruleId: 'netpol-workload-coverage',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) =>
      (f.spec('NetworkPolicy', APP).podSelector = { matchLabels: { 'app.kubernetes.io/name': 'someone-else' } }),
  },
  {
    name: 'ipBlock 0.0.0.0/0',
    ruleId: 'netpol-allow-from-anywhere',
    severity: 'error',
    object: APP_POLICY,
    mutate: (f) => ((f.spec('NetworkPolicy', APP).ingress as Mutable[])[0].from = [{ ipBlock: { cidr: '0.0.0.0/0' } }]),
  },
  {
    name: 'ingress rule without from',
    ruleId: 'netpol-allow-from-anywhere',
    severity: 'error',
    object: APP_POLICY,
    mutate: (f) => delete (f.spec('NetworkPolicy', APP).ingress as Mutable[])[0].from,
  },
  {
    name: 'egress to 0.0.0.0/0 with private ranges excepted',
    ruleId: 'netpol-allow-to-anywhere',
    severity: 'error',
    object: APP_POLICY,
    mutate: (f) =>
      (f.spec('NetworkPolicy', APP).egress as Mutable[]).push({
        to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }],
        ports: [{ port: 443, protocol: 'TCP' }],
      }),
  },
  {
    name: 'egress rule without to',
    ruleId: 'netpol-allow-to-anywhere',
    severity: 'error',
    object: APP_POLICY,
    mutate: (f) => (f.spec('NetworkPolicy', APP).egress as Mutable[]).push({ ports: [{ port: 443, protocol: 'TCP' }] }),
  },
  {
    name: 'empty namespaceSelector',
    ruleId: 'netpol-allow-from-anywhere',
    severity: 'error',
    object: APP_POLICY,
    mutate: (f) => ((f.spec('NetworkPolicy', APP).ingress as Mutable[])[0].from = [{ namespaceSelector: {} }]),
  },

  // Services
  {
    name: 'public LoadBalancer',
    ruleId: 'service-lb-internal',
    severity: 'error',
    object: SERVICE,
    options: { l4: true },
    mutate: (f) =>
      delete f.find('Service', APP).metadata.annotations?.['service.beta.kubernetes.io/azure-load-balancer-internal'],
  },
  {
    name: 'externalTrafficPolicy Cluster',
    ruleId: 'service-lb-external-traffic-policy',
    severity: 'error',
    object: SERVICE,
    options: { l4: true },
    mutate: (f) => (f.spec('Service', APP).externalTrafficPolicy = 'Cluster'),
  },
  {
    name: 'spec.loadBalancerIP',
    ruleId: 'service-lb-ip-field',
    severity: 'error',
    object: SERVICE,
    options: { l4: true },
    mutate: (f) => (f.spec('Service', APP).loadBalancerIP = '10.240.4.10'),
  },
  {
    name: 'NodePort',
    ruleId: 'service-no-node-port',
    severity: 'error',
    object: SERVICE,
    mutate: (f) => (f.spec('Service', APP).type = 'NodePort'),
  },
  {
    name: 'externalIPs',
    ruleId: 'service-no-external-ips',
    severity: 'error',
    object: SERVICE,
    mutate: (f) => (f.spec('Service', APP).externalIPs = ['20.1.2.3']),
  },

  // TLS and secrets
  {
    name: 'Ingress without TLS',
    ruleId: 'ingress-tls',
    severity: 'error',
    object: `Ingress ${APP}/${APP}`,
    mutate: (f) => (f.find('Ingress', APP).metadata.annotations = {}),
    alsoBreaks: ['l7-waf'],
  },
  {
    name: 'Ingress without a WAF policy (dev: a warning)',
    ruleId: 'l7-waf',
    severity: 'warning',
    object: `Ingress ${APP}/${APP}`,
    mutate: (f) =>
      delete (f.find('Ingress', APP).metadata.annotations as Mutable)[
        'appgw.ingress.kubernetes.io/waf-policy-for-path'
      ],
  },
  {
    name: 'Ingress without a WAF policy in prod (an error)',
    ruleId: 'l7-waf-in-prod',
    severity: 'error',
    object: `Ingress ${APP}/${APP}`,
    options: { cluster: PROD_CLUSTER, environment: 'prod' },
    mutate: (f) =>
      delete (f.find('Ingress', APP).metadata.annotations as Mutable)[
        'appgw.ingress.kubernetes.io/waf-policy-for-path'
      ],
  },
  {
    name: 'HTTPRoute that no WebApplicationFirewallPolicy targets',
    ruleId: 'l7-waf',
    severity: 'warning',
    object: `HTTPRoute ${APP}/${APP}`,
    options: { gatewayApi: true },
    mutate: (f) =>
      ((f.find('WebApplicationFirewallPolicy', APP).spec as Mutable).targetRef = {
        group: 'gateway.networking.k8s.io',
        kind: 'HTTPRoute',
        name: 'other',
        namespace: APP,
      }),
  },
  {
    name: 'HTTPRoute without a WAF policy in prod',
    ruleId: 'l7-waf-in-prod',
    severity: 'error',
    object: `HTTPRoute ${APP}/${APP}`,
    options: { gatewayApi: true, cluster: PROD_CLUSTER, environment: 'prod' },
    mutate: (f) => {
      const i = f.documents.findIndex((d) => d.object.kind === 'WebApplicationFirewallPolicy');
      f.documents.splice(i, 1);
    },
  },
  {
    name: 'plain HTTP listener with a backend route',
    ruleId: 'gateway-listener-tls',
    severity: 'error',
    object: 'Gateway gateway/shared',
    options: { gatewayApi: true },
    mutate: (f) =>
      (f.spec('Gateway', 'shared').listeners as Mutable[]).push({ name: 'http', protocol: 'HTTP', port: 80 }),
  },
  {
    name: 'HTTPS listener without certificateRefs',
    ruleId: 'gateway-listener-tls',
    severity: 'error',
    object: 'Gateway gateway/shared',
    options: { gatewayApi: true },
    mutate: (f) => ((f.spec('Gateway', 'shared').listeners as Mutable[])[0].tls = { mode: 'Terminate' }),
  },
  {
    name: 'HTTPRoute without sectionName',
    ruleId: 'httproute-section-name',
    severity: 'error',
    object: `HTTPRoute ${APP}/${APP}`,
    options: { gatewayApi: true },
    mutate: (f) => delete (f.spec('HTTPRoute', APP).parentRefs as Mutable[])[0].sectionName,
  },
  {
    name: 'Secret with data',
    ruleId: 'no-secret-data',
    severity: 'error',
    object: `Secret ${APP}/db`,
    alsoBreaks: ['app-allowed-kind'],
    mutate: (f) =>
      f.add(f.appFolder, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'db', namespace: APP },
        data: { password: 'aHVudGVyMg==' },
      }),
  },
  {
    name: 'Secret with stringData',
    ruleId: 'no-secret-data',
    severity: 'error',
    object: `Secret ${APP}/db`,
    alsoBreaks: ['app-allowed-kind'],
    mutate: (f) =>
      f.add(f.appFolder, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'db', namespace: APP },
        stringData: { password: 'hunter2' },
      }),
  },

  // Images
  {
    name: 'latest tag',
    ruleId: 'image-tag',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) => (f.container().image = 'acr.azurecr.io/orders-api:latest'),
  },
  {
    name: 'no tag (registry with port)',
    ruleId: 'image-tag',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) => (f.container().image = 'registry.local:5000/orders-api'),
    alsoBreaks: ['image-registry'],
  },
  {
    name: 'tag without digest in prod',
    ruleId: 'image-digest-in-prod',
    severity: 'error',
    object: DEPLOYMENT,
    options: { cluster: PROD_CLUSTER, environment: 'prod' },
    mutate: (f) => (f.container().image = 'acr.azurecr.io/orders-api:1.4.2'),
  },

  // Workload hygiene
  {
    name: 'no memory limit',
    ruleId: 'container-resources',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) => delete (f.container().resources as Mutable).limits,
  },
  {
    name: 'no cpu request',
    ruleId: 'container-resources',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) => delete ((f.container().resources as Mutable).requests as Mutable).cpu,
  },
  {
    name: 'no readiness probe',
    ruleId: 'readiness-probe',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) => delete f.container().readinessProbe,
  },
  {
    name: 'no liveness probe',
    ruleId: 'liveness-probe',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) => delete f.container().livenessProbe,
  },
  {
    name: 'writable root filesystem',
    ruleId: 'read-only-root-filesystem',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) => (f.containerSecurityContext().readOnlyRootFilesystem = false),
  },
  {
    name: 'replicated without PDB',
    ruleId: 'pdb-for-replicated-workload',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) => f.remove('PodDisruptionBudget', APP),
  },
  {
    name: 'autoscaled without PDB',
    ruleId: 'pdb-for-replicated-workload',
    severity: 'error',
    object: DEPLOYMENT,
    options: { autoscaled: true },
    mutate: (f) => f.remove('PodDisruptionBudget', APP),
  },
  {
    name: 'PDB maxUnavailable 0',
    ruleId: 'pdb-allows-eviction',
    severity: 'warning',
    object: `PodDisruptionBudget ${APP}/${APP}`,
    mutate: (f) => (f.spec('PodDisruptionBudget', APP).maxUnavailable = 0),
  },
  {
    name: 'replicas beside an HPA',
    ruleId: 'hpa-owns-replicas',
    severity: 'error',
    object: DEPLOYMENT,
    options: { autoscaled: true },
    mutate: (f) => (f.spec('Deployment', APP).replicas = 3),
  },

  // Namespaces
  {
    name: 'ConfigMap without namespace',
    ruleId: 'namespace-required',
    severity: 'error',
    object: `ConfigMap ${APP}`,
    mutate: (f) => delete f.find('ConfigMap', APP).metadata.namespace,
  },
  {
    name: 'ConfigMap in default',
    ruleId: 'no-default-namespace',
    severity: 'error',
    object: `ConfigMap default/${APP}`,
    alsoBreaks: ['reserved-namespace'],
    mutate: (f) => (f.find('ConfigMap', APP).metadata.namespace = 'default'),
  },
  {
    name: 'namespace not declared',
    ruleId: 'namespace-declared',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) => f.remove('Namespace', APP),
  },
  {
    name: 'enforce baseline',
    ruleId: 'namespace-pss-restricted',
    severity: 'error',
    object: NAMESPACE,
    mutate: (f) =>
      ((f.find('Namespace', APP).metadata.labels as Record<string, string>)['pod-security.kubernetes.io/enforce'] =
        'baseline'),
  },
  {
    name: 'enforce-version latest',
    ruleId: 'namespace-pss-version-pinned',
    severity: 'warning',
    object: NAMESPACE,
    mutate: (f) =>
      ((f.find('Namespace', APP).metadata.labels as Record<string, string>)[
        'pod-security.kubernetes.io/enforce-version'
      ] = 'latest'),
  },
  {
    name: 'namespace prunable',
    ruleId: 'namespace-prune-disabled',
    severity: 'warning',
    object: NAMESPACE,
    mutate: (f) => (f.find('Namespace', APP).metadata.annotations = {}),
  },

  // Flux
  {
    name: 'path that does not exist',
    ruleId: 'flux-path-exists',
    severity: 'error',
    object: APP_KUSTOMIZATION,
    alsoBreaks: ['flux-generated-only'],
    mutate: (f) => (f.spec('Kustomization', APP).path = `./clusters/${CLUSTER}/orders`),
  },
  {
    name: 'path unset',
    ruleId: 'flux-path-exists',
    severity: 'error',
    object: APP_KUSTOMIZATION,
    alsoBreaks: ['flux-generated-only'],
    mutate: (f) => delete f.spec('Kustomization', APP).path,
  },
  {
    name: 'prune false',
    ruleId: 'flux-prune-enabled',
    severity: 'error',
    object: APP_KUSTOMIZATION,
    mutate: (f) => (f.spec('Kustomization', APP).prune = false),
  },
  {
    name: 'platform prune unset',
    ruleId: 'flux-prune-enabled',
    severity: 'error',
    object: 'Kustomization flux-system/platform',
    mutate: (f) => delete f.spec('Kustomization', 'platform').prune,
  },
  {
    name: 'no dependsOn',
    ruleId: 'flux-depends-on-platform',
    severity: 'error',
    object: APP_KUSTOMIZATION,
    mutate: (f) => delete f.spec('Kustomization', APP).dependsOn,
  },
  {
    name: 'platform Kustomization missing',
    ruleId: 'flux-depends-on-platform',
    severity: 'error',
    object: APP_KUSTOMIZATION,
    mutate: (f) => f.remove('Kustomization', 'platform'),
  },
  {
    name: 'GitRepository without interval',
    ruleId: 'flux-interval-set',
    severity: 'error',
    object: 'GitRepository flux-system/aks-gitops',
    mutate: (f) => delete f.spec('GitRepository', 'aks-gitops').interval,
  },
  {
    name: 'interval not a duration',
    ruleId: 'flux-interval-set',
    severity: 'error',
    object: APP_KUSTOMIZATION,
    mutate: (f) => (f.spec('Kustomization', APP).interval = '10 minutes'),
  },

  // Gate
  {
    name: 'cluster without environment',
    ruleId: 'cluster-environment-known',
    severity: 'warning',
    object: `Cluster ${CLUSTER}`,
    mutate: () => undefined,
    input: () => ({ clusters: [] }),
  },
  {
    name: 'waiver with empty reason',
    ruleId: 'waiver-without-reason',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) => f.annotate('Deployment', APP, 'waivers.aks-gitops.io/read-only-root-filesystem', ' '),
  },
  {
    name: 'waiver for an unknown rule',
    ruleId: 'waiver-unknown-rule',
    severity: 'warning',
    object: DEPLOYMENT,
    mutate: (f) => f.annotate('Deployment', APP, 'waivers.aks-gitops.io/no-such-rule', 'because'),
  },
  {
    name: 'unreadable file',
    ruleId: 'manifest-readable',
    severity: 'error',
    object: 'File',
    mutate: () => undefined,
    input: (f) => ({
      unreadableFiles: [{ file: `${f.appFolder}/broken.yaml`, message: 'document #1: bad indentation' }],
    }),
  },
  ...TENANCY_BAD_CASES,

  // Ingress hygiene, secrets and tokens, registries, API versions, pod kinds, Services (breadth-cases.ts).
  ...BREADTH_BAD_CASES.map(outsideAppKinds),
];

/**
 * Pod rules are tested on every pod kind, in the app's folder; kinds an app may not emit there
 * (APP_ALLOWED_KINDS) also break app-allowed-kind, which the tenancy cases test on their own.
 */
function outsideAppKinds<T extends { object: string; alsoBreaks?: string[] }>(badCase: T): T {
  const kind = badCase.object.split(' ')[0];
  const allowed = APP_ALLOWED_KINDS.some((entry) => entry.kind === kind) || !badCase.object.includes(`${APP}/`);
  return allowed ? badCase : { ...badCase, alsoBreaks: [...(badCase.alsoBreaks ?? []), 'app-allowed-kind'] };
}

function unique(values: string[]): string[] {
  return [...new Set(values)].sort();
}

function unwaived(findings: Finding[]): Finding[] {
  return findings.filter((finding) => !finding.waived);
}

describe('every rule catches its bad manifest', () => {
  it.each(BAD_CASES)('$ruleId: $name', (badCase) => {
    const fixture = new Fixture(badCase.options);
    badCase.mutate(fixture);
    const report = evaluate(fixture.input(badCase.input?.(fixture)));
    const open = unwaived(report.findings);
    expect(open).toContainEqual(
      expect.objectContaining({
        ruleId: badCase.ruleId,
        object: badCase.object,
        severity: badCase.severity,
        cluster: fixture.cluster,
      }),
    );
    // One mutation, one rule: a rule firing on unrelated objects would show up here.
    expect(unique(open.map((finding) => finding.ruleId))).toEqual(
      unique([badCase.ruleId, ...(badCase.alsoBreaks ?? [])]),
    );
    expect(report.ok).toBe(badCase.severity !== 'error');
  });

  it('has at least one bad case for every rule in RULES', () => {
    const covered = new Set(BAD_CASES.map((badCase) => badCase.ruleId));
    expect(RULES.map((definition) => definition.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  it('reports the severity the catalog declares', () => {
    for (const badCase of BAD_CASES) {
      const definition = RULES.find((rule) => rule.id === badCase.ruleId);
      const prod = (badCase.options?.environment ?? 'dev') === 'prod';
      expect(prod ? definition?.severity : (definition?.severityOutsideProd ?? definition?.severity)).toBe(
        badCase.severity,
      );
    }
  });
});

describe('compliant manifests pass', () => {
  const variants: [string, FixtureOptions][] = [
    ['AGIC L7 app in dev', {}],
    ['app in prod with digests', { cluster: PROD_CLUSTER, environment: 'prod' }],
    ['autoscaled app', { autoscaled: true }],
    ['L4 internal LoadBalancer app', { l4: true }],
    ['Gateway API app', { gatewayApi: true }],
  ];
  it.each(variants)('%s has no findings', (_name, options) => {
    const report = evaluate(new Fixture(options).input());
    expect(report.findings).toEqual([]);
    expect(report.ok).toBe(true);
  });

  const goodCases: GoodCase[] = [
    [
      'runAsNonRoot and seccomp per container instead of per pod',
      (f) => {
        delete f.podSecurityContext().runAsNonRoot;
        delete f.podSecurityContext().seccompProfile;
        Object.assign(f.containerSecurityContext(), {
          runAsNonRoot: true,
          seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/app.json' },
        });
      },
      undefined,
    ],
    [
      'user namespaces allow runAsNonRoot false',
      (f) =>
        Object.assign(f.podSpec(), {
          hostUsers: false,
          securityContext: { ...f.podSecurityContext(), runAsNonRoot: false },
        }),
      undefined,
    ],
    [
      'NET_BIND_SERVICE may be added',
      (f) => ((f.containerSecurityContext().capabilities as Mutable).add = ['NET_BIND_SERVICE']),
      undefined,
    ],
    [
      'safe sysctls',
      (f) => (f.podSecurityContext().sysctls = [{ name: 'net.ipv4.ip_local_port_range', value: '1024 65000' }]),
      undefined,
    ],
    [
      'procMount Default and AppArmor RuntimeDefault',
      (f) =>
        Object.assign(f.containerSecurityContext(), {
          procMount: 'Default',
          appArmorProfile: { type: 'RuntimeDefault' },
        }),
      undefined,
    ],
    ['SELinux container_t', (f) => (f.podSecurityContext().seLinuxOptions = { type: 'container_t' }), undefined],
    [
      'all allowed volume types',
      (f) =>
        (f.podSpec().volumes as Mutable[]).push(
          { name: 'cfg', configMap: { name: APP } },
          { name: 'info', downwardAPI: {} },
          { name: 'token', projected: { sources: [] } },
          { name: 'data', persistentVolumeClaim: { claimName: 'data' } },
        ),
      undefined,
    ],
    ['Workload Identity pods may mount the token', (f) => f.useWorkloadIdentity(), undefined],
    ['digest without a tag', (f) => (f.container().image = `acr.azurecr.io/orders-api@${DIGEST}`), undefined],
    [
      'single replica needs no PDB',
      (f) => {
        f.spec('Deployment', APP).replicas = 1;
        f.remove('PodDisruptionBudget', APP);
      },
      undefined,
    ],
    [
      'PDB with matchExpressions selects the pods',
      (f) =>
        (f.spec('PodDisruptionBudget', APP).selector = {
          matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: [APP] }],
        }),
      undefined,
    ],
    [
      'Ingress with spec.tls instead of the AGIC annotation',
      (f) => {
        f.find('Ingress', APP).metadata.annotations = {
          'appgw.ingress.kubernetes.io/ssl-redirect': 'true',
          'appgw.ingress.kubernetes.io/waf-policy-for-path': WAF_POLICY,
        };
        f.spec('Ingress', APP).tls = [{ hosts: ['orders-api.example.com'], secretName: 'tls' }];
      },
      undefined,
    ],
    [
      'Secret without data (in the platform)',
      (f) =>
        f.add(f.platformFolder, {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'empty', namespace: 'edge' },
          type: 'Opaque',
        }),
      undefined,
    ],
    [
      'callers from a named namespace and pod',
      (f) =>
        ((f.spec('NetworkPolicy', APP).ingress as Mutable[])[0].from = [
          { namespaceSelector: {}, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'checkout' } } },
        ]),
      undefined,
    ],
    [
      'workload that accepts nothing declares ingress: []',
      (f) => (f.spec('NetworkPolicy', APP).ingress = []),
      undefined,
    ],
    [
      'Flux path with a trailing slash',
      (f) => (f.spec('Kustomization', APP).path = `./clusters/${CLUSTER}/${APP}/`),
      undefined,
    ],
    [
      "flux bootstrap's own folder is not judged",
      (f) =>
        f.add(`flux/${CLUSTER}/flux-system`, {
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
          kind: 'Kustomization',
          metadata: { name: 'flux-system', namespace: 'flux-system' },
          spec: { interval: '10m', path: `./flux/${CLUSTER}`, prune: true },
        }),
      undefined,
    ],
    ['HTTP listener that only redirects to https', (f) => f.addHttpsRedirect(), { gatewayApi: true }],
    [
      'TLS passthrough listener',
      (f) =>
        (f.spec('Gateway', 'shared').listeners as Mutable[]).push({
          name: 'tls',
          protocol: 'TLS',
          port: 8443,
          tls: { mode: 'Passthrough' },
        }),
      { gatewayApi: true },
    ],
    [
      "the platform's Flux RBAC: one ClusterRole naming APP_ALLOWED_KINDS, bound per app namespace",
      (f) => addApplierRbac(f),
      undefined,
    ],
    [
      'an app Role granting what the app may create, bound to its own account',
      (f) => {
        f.add(f.appFolder, {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'Role',
          metadata: { name: 'config-reader', namespace: APP },
          rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }],
        });
        f.add(f.appFolder, {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBinding',
          metadata: { name: 'config-reader', namespace: APP },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'config-reader' },
          subjects: [{ kind: 'ServiceAccount', name: APP, namespace: APP }],
        });
      },
      undefined,
    ],
    [
      "the tenant layout: each app's GitRepository and Kustomization in its namespace, from the baseline",
      (f) => moveFluxToTenant(f),
      undefined,
    ],
    [
      'Flux notifications (a Provider and an Alert) in the Flux folder',
      (f) => {
        f.add(`flux/${CLUSTER}`, {
          apiVersion: 'notification.toolkit.fluxcd.io/v1beta3',
          kind: 'Provider',
          metadata: { name: 'chat', namespace: 'flux-system' },
          spec: { type: 'msteams', secretRef: { name: 'chat-webhook' } },
        });
        f.add(`flux/${CLUSTER}`, {
          apiVersion: 'notification.toolkit.fluxcd.io/v1beta3',
          kind: 'Alert',
          metadata: { name: 'platform-failures', namespace: 'flux-system' },
          spec: {
            eventSeverity: 'error',
            eventSources: [{ kind: 'Kustomization', name: 'platform' }],
            providerRef: { name: 'chat' },
          },
        });
      },
      undefined,
    ],
    [
      'an app Kustomization confined to its namespace and applier',
      (f) => Object.assign(f.spec('Kustomization', APP), { targetNamespace: APP, serviceAccountName: 'flux-applier' }),
      undefined,
    ],
    [
      "a waiver with a real reason on the app's own object",
      (f) =>
        f.annotate(
          'ConfigMap',
          APP,
          'waivers.aks-gitops.io/read-only-root-filesystem',
          'pause container: nothing to probe',
        ),
      undefined,
    ],
    [
      'Azure config and kustomization files are ignored',
      (f) =>
        f.documents.push({
          file: `clusters/${CLUSTER}/azure/lb.yaml`,
          object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' } },
        }),
      undefined,
    ],
  ];
  it.each(goodCases)('%s', (_name, mutate, options) => {
    const fixture = new Fixture(options);
    mutate(fixture);
    expect(evaluate(fixture.input()).findings).toEqual([]);
  });

  it('skips the Flux path rule when existingPaths is not given', () => {
    const fixture = new Fixture();
    fixture.find('Kustomization', APP).metadata.name = 'billing';
    fixture.spec('Kustomization', 'billing').path = `./clusters/${CLUSTER}/billing`;
    expect(evaluate(fixture.input({ existingPaths: undefined })).findings).toEqual([]);
    expect(evaluate(fixture.input()).findings.map((finding) => finding.ruleId)).toEqual(['flux-path-exists']);
  });
});

describe('input robustness', () => {
  it('reports an object without metadata as unreadable instead of crashing', () => {
    const fixture = new Fixture();
    fixture.documents.push({
      file: `${fixture.appFolder}/odd.yaml`,
      object: { apiVersion: 'v1', kind: 'ConfigMap' } as unknown as Fixture['documents'][number]['object'],
    });
    const report = evaluate(fixture.input());
    expect(report.findings).toEqual([
      expect.objectContaining({ ruleId: 'manifest-readable', file: `${fixture.appFolder}/odd.yaml`, object: 'File' }),
    ]);
  });

  it('judges documents outside clusters/ and flux/ under an unassigned cluster', () => {
    const fixture = new Fixture();
    fixture.documents.push({
      file: 'misc/secret.yaml',
      object: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'leak', namespace: APP }, data: { k: 'dg==' } },
    });
    const report = evaluate(fixture.input());
    expect(report.findings).toEqual([
      expect.objectContaining({ ruleId: 'no-secret-data', cluster: '(unassigned)', object: `Secret ${APP}/leak` }),
    ]);
    expect(report.summary.map((summary) => summary.cluster)).toEqual(['(unassigned)', CLUSTER]);
  });
});

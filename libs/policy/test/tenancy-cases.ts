import { APP_ALLOWED_KINDS, type KubeObject } from '@aks-gitops/cluster-model';
import { checkGeneratedLayout, checkKustomizationFile } from '@aks-gitops/policy';
import type { BadCase } from './cases';
import { APP, CLUSTER, DEPLOYMENT, type Fixture, type Mutable } from './fixtures';

/*
 * Bad manifests for the tenancy, RBAC, cluster-extension, Flux-generated, layout and waiver rules
 * (issue 12), in the shape rules.spec.ts runs: one mutation of the compliant fixture, exactly the
 * named rule (plus `alsoBreaks`) fires.
 */

const OTHER_APP = 'payments-api';
const REASON = 'GPU driver installer, approved in SEC-123';

export const APPLIER_ROLE = 'aks-gitops-app-applier';

/** The platform's Flux RBAC as the tenancy constructs generate it: one ClusterRole, bound per app namespace. */
export function applierClusterRole(): KubeObject {
  const groups = [...new Set(APP_ALLOWED_KINDS.map((kind) => kind.group))].sort();
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: APPLIER_ROLE },
    rules: groups.map((group) => ({
      apiGroups: [group],
      resources: APP_ALLOWED_KINDS.filter((kind) => kind.group === group).map((kind) => kind.resource),
      verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
    })),
  };
}

export function applierRoleBinding(namespace: string): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'flux-applier', namespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: APPLIER_ROLE },
    subjects: [{ kind: 'ServiceAccount', name: 'flux-applier', namespace }],
  };
}

export function addApplierRbac(f: Fixture): void {
  f.add(f.platformFolder, applierClusterRole());
  f.add(f.platformFolder, {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'flux-applier', namespace: APP },
    automountServiceAccountToken: false,
  });
  f.add(f.platformFolder, applierRoleBinding(APP));
}

/**
 * The tenant layout: the baseline (platform folder) holds each app's GitRepository and Kustomization in
 * the app's namespace, applying the app's folder into that namespace as flux-applier.
 */
export function moveFluxToTenant(f: Fixture): void {
  addApplierRbac(f);
  const kustomization = f.find('Kustomization', APP);
  f.remove('Kustomization', APP);
  kustomization.metadata.namespace = APP;
  Object.assign(kustomization.spec as Mutable, {
    targetNamespace: APP,
    serviceAccountName: 'flux-applier',
    dependsOn: [{ name: 'platform', namespace: 'flux-system' }],
  });
  f.add(f.platformFolder, kustomization);
  f.add(f.platformFolder, {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: { name: 'aks-gitops', namespace: APP },
    spec: {
      interval: '5m',
      url: 'https://example.com/aks-gitops.git',
      ref: { branch: 'main' },
      ignore: `/*\n!/clusters/\n/clusters/*\n!/clusters/${CLUSTER}/\n/clusters/${CLUSTER}/*\n!/clusters/${CLUSTER}/${APP}/\n`,
    },
  });
}

/** The ingress the old layout (before callee consent) wrote from a caller's folder into its callee's namespace. */
function callerIngress(): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: `allow-from-${OTHER_APP}`, namespace: APP },
    spec: {
      podSelector: { matchLabels: { 'app.kubernetes.io/name': APP } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': OTHER_APP } },
              podSelector: { matchLabels: { 'app.kubernetes.io/name': OTHER_APP } },
            },
          ],
          ports: [{ port: 8080, protocol: 'TCP' }],
        },
      ],
    },
  };
}

function tenantKustomization(f: Fixture): Mutable {
  moveFluxToTenant(f);
  return f.spec('Kustomization', APP);
}

function configMap(namespace: string, name = 'settings'): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data: { LOG_LEVEL: 'info' } };
}

function clusterRole(name: string, rules: Mutable[], extra: Mutable = {}): KubeObject {
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name }, rules, ...extra };
}

function clusterRoleBinding(name: string, roleName: string, subjects: Mutable[]): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
    subjects,
  };
}

function appRole(rules: Mutable[]): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'helper', namespace: APP },
    rules,
  };
}

const READ_CONFIGMAPS = { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] };
const SA_SUBJECT = { kind: 'ServiceAccount', name: APP, namespace: APP };

export const TENANCY_BAD_CASES: BadCase[] = [
  // The app's output contract
  {
    name: 'ClusterRole from an app',
    ruleId: 'app-namespaced',
    severity: 'error',
    object: 'ClusterRole reader',
    mutate: (f) => f.add(f.appFolder, clusterRole('reader', [READ_CONFIGMAPS])),
  },
  {
    name: 'ConfigMap in a namespace no app owns',
    ruleId: 'app-own-namespace',
    severity: 'error',
    object: 'ConfigMap billing/settings',
    mutate: (f) => f.add(f.appFolder, configMap('billing')),
  },
  {
    name: 'ResourceQuota from an app',
    ruleId: 'app-allowed-kind',
    severity: 'error',
    object: `ResourceQuota ${APP}/quota`,
    mutate: (f) =>
      f.add(f.appFolder, {
        apiVersion: 'v1',
        kind: 'ResourceQuota',
        metadata: { name: 'quota', namespace: APP },
        spec: { hard: { pods: '10' } },
      }),
  },
  {
    name: 'empty Secret from an app',
    ruleId: 'app-allowed-kind',
    severity: 'error',
    object: `Secret ${APP}/empty`,
    mutate: (f) =>
      f.add(f.appFolder, {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'empty', namespace: APP },
        type: 'Opaque',
      }),
  },
  {
    name: 'ConfigMap in kube-system from an app',
    ruleId: 'reserved-namespace',
    severity: 'error',
    object: 'ConfigMap kube-system/settings',
    mutate: (f) => f.add(f.appFolder, configMap('kube-system')),
  },
  {
    name: 'ConfigMap in flux-system from an app',
    ruleId: 'reserved-namespace',
    severity: 'error',
    object: 'ConfigMap flux-system/settings',
    mutate: (f) => f.add(f.appFolder, configMap('flux-system')),
  },
  {
    name: "a caller's ingress written from the caller's folder into the callee's namespace (the layout before consent)",
    ruleId: 'namespace-owned-by-app',
    severity: 'error',
    object: `NetworkPolicy ${APP}/allow-from-${OTHER_APP}`,
    alsoBreaks: ['app-own-namespace'],
    mutate: (f) => f.add(`clusters/${CLUSTER}/${OTHER_APP}`, callerIngress()),
  },
  {
    name: 'the same caller ingress beside the per-app Flux objects (consent layout)',
    ruleId: 'namespace-owned-by-app',
    severity: 'error',
    object: `NetworkPolicy ${APP}/allow-from-${OTHER_APP}`,
    alsoBreaks: ['app-own-namespace'],
    mutate: (f) => {
      moveFluxToTenant(f);
      f.add(`clusters/${CLUSTER}/${OTHER_APP}`, callerIngress());
    },
  },
  {
    name: 'a second default-deny that selects nothing, from another app',
    ruleId: 'namespace-owned-by-app',
    severity: 'error',
    object: `NetworkPolicy ${APP}/default-deny`,
    alsoBreaks: ['app-own-namespace', 'object-single-owner'],
    mutate: (f) =>
      f.add(`clusters/${CLUSTER}/${OTHER_APP}`, {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'default-deny', namespace: APP },
        spec: { podSelector: { matchLabels: { nothing: 'selected' } }, policyTypes: ['Ingress'] },
      }),
  },
  {
    name: 'platform puts a ConfigMap into an app namespace',
    ruleId: 'namespace-owned-by-app',
    severity: 'error',
    object: `ConfigMap ${APP}/settings`,
    mutate: (f) => f.add(f.platformFolder, configMap(APP)),
  },
  {
    name: 'the app re-declares the platform default-deny',
    ruleId: 'object-single-owner',
    severity: 'error',
    object: `NetworkPolicy ${APP}/default-deny`,
    mutate: (f) =>
      f.add(f.appFolder, {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'default-deny', namespace: APP },
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      }),
  },

  // Cluster extensions
  {
    name: 'ValidatingWebhookConfiguration',
    ruleId: 'no-admission-webhooks',
    severity: 'error',
    object: 'ValidatingWebhookConfiguration audit',
    mutate: (f) =>
      f.add(f.platformFolder, {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingWebhookConfiguration',
        metadata: { name: 'audit' },
        webhooks: [
          {
            name: 'audit.example.com',
            clientConfig: { url: 'https://audit.example.com' },
            rules: [{ operations: ['*'], apiGroups: ['*'], apiVersions: ['*'], resources: ['*'] }],
            sideEffects: 'None',
            admissionReviewVersions: ['v1'],
          },
        ],
      }),
  },
  {
    name: 'MutatingWebhookConfiguration from an app',
    ruleId: 'no-admission-webhooks',
    severity: 'error',
    object: 'MutatingWebhookConfiguration inject',
    alsoBreaks: ['app-namespaced'],
    mutate: (f) =>
      f.add(f.appFolder, {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'MutatingWebhookConfiguration',
        metadata: { name: 'inject' },
        webhooks: [],
      }),
  },
  {
    name: 'ValidatingAdmissionPolicyBinding',
    ruleId: 'no-admission-webhooks',
    severity: 'error',
    object: 'ValidatingAdmissionPolicyBinding deny-all',
    mutate: (f) =>
      f.add(f.platformFolder, {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicyBinding',
        metadata: { name: 'deny-all' },
        spec: { policyName: 'deny-all', validationActions: ['Deny'] },
      }),
  },
  {
    name: 'CustomResourceDefinition',
    ruleId: 'no-custom-resource-definitions',
    severity: 'error',
    object: 'CustomResourceDefinition widgets.example.com',
    mutate: (f) =>
      f.add(f.platformFolder, {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'widgets.example.com' },
        spec: { group: 'example.com', scope: 'Namespaced' },
      }),
  },
  {
    name: 'APIService',
    ruleId: 'no-api-services',
    severity: 'error',
    object: 'APIService v1beta1.metrics.example.com',
    mutate: (f) =>
      f.add(f.platformFolder, {
        apiVersion: 'apiregistration.k8s.io/v1',
        kind: 'APIService',
        metadata: { name: 'v1beta1.metrics.example.com' },
        spec: { group: 'metrics.example.com', version: 'v1beta1', service: { name: 'x', namespace: APP } },
      }),
  },

  // Flux objects are exactly the generated ones
  {
    name: 'a second GitRepository',
    ruleId: 'flux-generated-only',
    severity: 'error',
    object: 'GitRepository flux-system/elsewhere',
    mutate: (f) =>
      f.add(`flux/${CLUSTER}`, {
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'GitRepository',
        metadata: { name: 'elsewhere', namespace: 'flux-system' },
        spec: { interval: '1m', url: 'https://example.com/x.git', ref: { branch: 'main' } },
      }),
  },
  {
    name: 'app Kustomization re-pointed at the platform folder',
    ruleId: 'flux-generated-only',
    severity: 'error',
    object: `Kustomization flux-system/${APP}`,
    mutate: (f) => (f.spec('Kustomization', APP).path = `./clusters/${CLUSTER}/platform`),
  },
  {
    name: 'app Kustomization with patches',
    ruleId: 'flux-generated-only',
    severity: 'error',
    object: `Kustomization flux-system/${APP}`,
    mutate: (f) =>
      (f.spec('Kustomization', APP).patches = [{ patch: '- op: remove\n  path: /spec/template/spec/securityContext' }]),
  },
  {
    name: 'app Kustomization applying as another account',
    ruleId: 'flux-generated-only',
    severity: 'error',
    object: `Kustomization flux-system/${APP}`,
    mutate: (f) => (f.spec('Kustomization', APP).serviceAccountName = 'kustomize-controller'),
  },
  {
    name: 'app Kustomization into another namespace',
    ruleId: 'flux-generated-only',
    severity: 'error',
    object: `Kustomization flux-system/${APP}`,
    mutate: (f) => (f.spec('Kustomization', APP).targetNamespace = 'kube-system'),
  },
  {
    name: 'app Kustomization reading another source',
    ruleId: 'flux-generated-only',
    severity: 'error',
    object: `Kustomization flux-system/${APP}`,
    mutate: (f) => (f.spec('Kustomization', APP).sourceRef = { kind: 'GitRepository', name: 'elsewhere' }),
  },
  {
    name: 'a notification Receiver (lets outsiders trigger reconciles)',
    ruleId: 'flux-generated-only',
    severity: 'error',
    object: 'Receiver flux-system/hook',
    mutate: (f) =>
      f.add(`flux/${CLUSTER}`, {
        apiVersion: 'notification.toolkit.fluxcd.io/v1',
        kind: 'Receiver',
        metadata: { name: 'hook', namespace: 'flux-system' },
        spec: { type: 'generic', resources: [{ kind: 'GitRepository', name: 'aks-gitops' }] },
      }),
  },
  {
    name: 'a plain object in the Flux folder',
    ruleId: 'flux-generated-only',
    severity: 'error',
    object: 'ConfigMap flux-system/settings',
    mutate: (f) => f.add(`flux/${CLUSTER}`, configMap('flux-system')),
  },
  {
    name: 'HelmRelease in an app folder',
    ruleId: 'flux-generated-only',
    severity: 'error',
    object: `HelmRelease ${APP}/redis`,
    alsoBreaks: ['app-allowed-kind'],
    mutate: (f) =>
      f.add(f.appFolder, {
        apiVersion: 'helm.toolkit.fluxcd.io/v2',
        kind: 'HelmRelease',
        metadata: { name: 'redis', namespace: APP },
        spec: { interval: '10m', chart: { spec: { chart: 'redis' } } },
      }),
  },

  {
    name: 'tenant Kustomization without its applier account',
    ruleId: 'flux-generated-only',
    severity: 'error',
    object: `Kustomization ${APP}/${APP}`,
    mutate: (f) => delete tenantKustomization(f).serviceAccountName,
  },
  {
    name: 'tenant Kustomization without a target namespace',
    ruleId: 'flux-generated-only',
    severity: 'error',
    object: `Kustomization ${APP}/${APP}`,
    mutate: (f) => delete tenantKustomization(f).targetNamespace,
  },
  {
    name: 'tenant Kustomization with postBuild substitutions',
    ruleId: 'flux-generated-only',
    severity: 'error',
    object: `Kustomization ${APP}/${APP}`,
    mutate: (f) => (tenantKustomization(f).postBuild = { substitute: { NS: 'kube-system' } }),
  },
  {
    name: 'a Kustomization in a platform namespace',
    ruleId: 'flux-generated-only',
    severity: 'error',
    object: 'Kustomization edge/edge',
    mutate: (f) =>
      f.add(f.platformFolder, {
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        metadata: { name: 'edge', namespace: 'edge' },
        spec: {
          interval: '10m',
          path: `./clusters/${CLUSTER}/${APP}`,
          prune: true,
          dependsOn: [{ name: 'platform', namespace: 'flux-system' }],
          sourceRef: { kind: 'GitRepository', name: 'aks-gitops' },
        },
      }),
  },

  // RBAC
  {
    name: 'ClusterRole with wildcard verbs',
    ruleId: 'rbac-no-wildcards',
    severity: 'error',
    object: 'ClusterRole ops',
    mutate: (f) =>
      f.add(f.platformFolder, clusterRole('ops', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['*'] }])),
  },
  {
    name: 'ClusterRole with wildcard resources',
    ruleId: 'rbac-no-wildcards',
    severity: 'error',
    object: 'ClusterRole ops',
    mutate: (f) =>
      f.add(f.platformFolder, clusterRole('ops', [{ apiGroups: ['apps'], resources: ['*'], verbs: ['get'] }])),
  },
  {
    name: 'ClusterRole with wildcard apiGroups',
    ruleId: 'rbac-no-wildcards',
    severity: 'error',
    object: 'ClusterRole ops',
    mutate: (f) =>
      f.add(f.platformFolder, clusterRole('ops', [{ apiGroups: ['*'], resources: ['deployments'], verbs: ['get'] }])),
  },
  {
    name: 'aggregated ClusterRole',
    ruleId: 'rbac-no-wildcards',
    severity: 'error',
    object: 'ClusterRole ops',
    mutate: (f) =>
      f.add(
        f.platformFolder,
        clusterRole('ops', [], {
          aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.example.com/aggregate': 'true' } }] },
        }),
      ),
  },
  {
    name: 'ClusterRoleBinding to cluster-admin',
    ruleId: 'rbac-no-privileged-binding',
    severity: 'error',
    object: 'ClusterRoleBinding ops',
    mutate: (f) => f.add(f.platformFolder, clusterRoleBinding('ops', 'cluster-admin', [SA_SUBJECT])),
  },
  {
    name: 'RoleBinding to edit',
    ruleId: 'rbac-no-privileged-binding',
    severity: 'error',
    object: 'RoleBinding edge/ops',
    mutate: (f) =>
      f.add(f.platformFolder, {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'ops', namespace: 'edge' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
        subjects: [SA_SUBJECT],
      }),
  },
  {
    name: 'binding for system:authenticated',
    ruleId: 'rbac-no-broad-subjects',
    severity: 'error',
    object: 'ClusterRoleBinding readers',
    mutate: (f) =>
      f.add(
        f.platformFolder,
        clusterRoleBinding('readers', 'reader', [
          { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:authenticated' },
        ]),
      ),
  },
  {
    name: 'binding for system:anonymous',
    ruleId: 'rbac-no-broad-subjects',
    severity: 'error',
    object: 'ClusterRoleBinding readers',
    mutate: (f) =>
      f.add(
        f.platformFolder,
        clusterRoleBinding('readers', 'reader', [
          { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'system:anonymous' },
        ]),
      ),
  },
  {
    name: 'binding for every service account of a namespace',
    ruleId: 'rbac-no-broad-subjects',
    severity: 'error',
    object: 'ClusterRoleBinding readers',
    mutate: (f) =>
      f.add(
        f.platformFolder,
        clusterRoleBinding('readers', 'reader', [
          { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: `system:serviceaccounts:${APP}` },
        ]),
      ),
  },
  {
    name: 'ClusterRole granting bind',
    ruleId: 'rbac-no-escalation-verbs',
    severity: 'error',
    object: 'ClusterRole ops',
    mutate: (f) =>
      f.add(
        f.platformFolder,
        clusterRole('ops', [
          { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind', 'escalate'] },
        ]),
      ),
  },
  {
    name: 'ClusterRole granting impersonate',
    ruleId: 'rbac-no-escalation-verbs',
    severity: 'error',
    object: 'ClusterRole ops',
    mutate: (f) =>
      f.add(
        f.platformFolder,
        clusterRole('ops', [{ apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] }]),
      ),
  },
  {
    name: 'app Role reading secrets',
    ruleId: 'rbac-app-role-scope',
    severity: 'error',
    object: `Role ${APP}/helper`,
    mutate: (f) => f.add(f.appFolder, appRole([{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }])),
  },
  {
    name: 'app Role granting pods/exec',
    ruleId: 'rbac-app-role-scope',
    severity: 'error',
    object: `Role ${APP}/helper`,
    mutate: (f) => f.add(f.appFolder, appRole([{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }])),
  },
  {
    name: 'app RoleBinding to a ClusterRole',
    ruleId: 'rbac-app-role-scope',
    severity: 'error',
    object: `RoleBinding ${APP}/helper`,
    mutate: (f) =>
      f.add(f.appFolder, {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'helper', namespace: APP },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
        subjects: [SA_SUBJECT],
      }),
  },
  {
    name: 'the platform applier ClusterRole tampered with a wildcard',
    ruleId: 'rbac-no-wildcards',
    severity: 'error',
    object: `ClusterRole ${APPLIER_ROLE}`,
    mutate: (f) => {
      addApplierRbac(f);
      (f.find('ClusterRole', APPLIER_ROLE).rules as Mutable[])[0].resources = ['*'];
    },
  },
  {
    name: 'the platform applier RoleBinding tampered to cluster-admin',
    ruleId: 'rbac-no-privileged-binding',
    severity: 'error',
    object: `RoleBinding ${APP}/flux-applier`,
    mutate: (f) => {
      addApplierRbac(f);
      (f.find('RoleBinding', 'flux-applier').roleRef as Mutable).name = 'cluster-admin';
    },
  },

  // The generated tree (checked by loadTree on disk; these are its pure checks)
  {
    name: 'a file synth did not write',
    ruleId: 'file-generated',
    severity: 'error',
    object: 'File',
    mutate: () => undefined,
    input: (f) => ({ unreadableFiles: checkGeneratedLayout([{ file: `${f.appFolder}/extra.yaml` }]) }),
  },
  {
    name: 'kustomization.yaml with a namePrefix',
    ruleId: 'kustomization-local-resources',
    severity: 'error',
    object: 'File',
    mutate: () => undefined,
    input: (f) => ({
      unreadableFiles: checkKustomizationFile(
        `${f.appFolder}/kustomization.yaml`,
        'resources:\n  - manifests.yaml\nnamePrefix: x-\n',
        new Set(['manifests.yaml', 'kustomization.yaml']),
      ),
    }),
  },

  // Waivers
  {
    name: 'waiver for a rule that is never waivable',
    ruleId: 'waiver-not-waivable',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) => f.annotate('Deployment', APP, 'waivers.aks-gitops.io/pss-privileged', REASON),
  },
  {
    name: 'waiver for a gate rule',
    ruleId: 'waiver-not-waivable',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) =>
      f.annotate('Deployment', APP, 'waivers.aks-gitops.io/waiver-without-reason', 'nice try, it will not work'),
  },
  {
    name: 'waiver for a tenancy rule',
    ruleId: 'waiver-not-waivable',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) => f.annotate('Deployment', APP, 'waivers.aks-gitops.io/app-own-namespace', REASON),
  },
  {
    name: 'wildcard waiver key',
    ruleId: 'waiver-wildcard',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) => f.annotate('Deployment', APP, 'waivers.aks-gitops.io/*', REASON),
  },
  {
    name: 'pattern waiver key',
    ruleId: 'waiver-wildcard',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) => f.annotate('Deployment', APP, 'waivers.aks-gitops.io/pss-*', REASON),
  },
  {
    name: "waiver on the platform's object in an app namespace",
    ruleId: 'waiver-foreign-object',
    severity: 'error',
    object: `NetworkPolicy ${APP}/default-deny`,
    mutate: (f) =>
      f.annotate(
        'NetworkPolicy',
        'default-deny',
        'waivers.aks-gitops.io/netpol-allow-from-anywhere',
        'the platform team allows this for the migration',
      ),
  },
  ...['n/a', 'x', 'TODO', 'tbd.', 'SEC-125', 'ok ok ok'].map((reason): BadCase => ({
    name: `waiver reason ${JSON.stringify(reason)}`,
    ruleId: 'waiver-without-reason',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) => f.annotate('Deployment', APP, 'waivers.aks-gitops.io/read-only-root-filesystem', reason),
  })),
  {
    name: 'waiver reason with a control character',
    ruleId: 'waiver-without-reason',
    severity: 'error',
    object: DEPLOYMENT,
    mutate: (f) =>
      f.annotate(
        'Deployment',
        APP,
        'waivers.aks-gitops.io/read-only-root-filesystem',
        'legacy image writes\u0007 its cache',
      ),
  },
];

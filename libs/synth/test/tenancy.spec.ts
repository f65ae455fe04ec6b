import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiObject, Include } from 'cdk8s';
import { APP_ALLOWED_KINDS, CLUSTERS, ConfigError, RESERVED_NAMESPACES, loadFleet } from '@aks-gitops/cluster-model';
import type { ClusterSpec } from '@aks-gitops/cluster-model';
import { runSynth } from '@aks-gitops/synth';
import { L7Api, defineApp } from '@aks-gitops/workloads';
import type { AppDefinition, AppContext } from '@aks-gitops/workloads';
import { FLEET } from './reliability/support/scratch';
import { EXAMPLE_APPS, REPO, scratchRoot, treeDigest } from './scratch';

/*
 * An app's output contract (libs/cluster-model/src/tenancy.ts): an app's code, whatever it uses
 * (constructs, escape hatches, raw ApiObjects, Include, Lists), emits only namespaced objects of an
 * allowed kind in its own namespace. Anything else fails synth, naming the app, cluster and object,
 * and nothing is written.
 */

let root: string;
let cleanup: () => void;
beforeAll(async () => {
  ({ root, cleanup } = scratchRoot('tenancy'));
  await runSynth({ root, apps: EXAMPLE_APPS });
});
afterAll(() => cleanup());

const FIRST = CLUSTERS[0]?.name as string;

/** A small valid API named `name`, plus whatever `extra` adds to its chart. */
function appWith(name: string, extra: (ctx: AppContext) => void): AppDefinition {
  return defineApp({
    name,
    deploy: (ctx) => {
      new L7Api(ctx.scope, 'api', {
        image: `ghcr.io/contoso/${name}:1.0.0@sha256:${'a'.repeat(64)}`,
        port: 8080,
        routes: [{ host: `${name}.contoso.com` }],
      });
      extra(ctx);
    },
  });
}

async function refused(app: AppDefinition): Promise<ConfigError> {
  const before = treeDigest(root);
  const err = await runSynth({ root, apps: [...EXAMPLE_APPS, app] }).catch((e: unknown) => e);
  expect(ConfigError.is(err)).toBe(true);
  expect(treeDigest(root)).toEqual(before);
  return err as ConfigError;
}

describe("an app's code cannot reach past its own namespace", () => {
  it('a cluster-scoped object (a ClusterRoleBinding to cluster-admin from a raw ApiObject) is refused, naming app, cluster, object and the fix', async () => {
    const err = await refused(
      appWith('sneaky-api', ({ scope }) => {
        new ApiObject(scope, 'crb', {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'ClusterRoleBinding',
          metadata: { name: 'sneaky-admin' },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
          subjects: [{ kind: 'ServiceAccount', name: 'sneaky-api', namespace: 'sneaky-api' }],
        } as never);
      }),
    );
    expect(err.message).toContain(
      `cluster ${FIRST}, app sneaky-api, field object ClusterRoleBinding sneaky-api/sneaky-admin: rbac.authorization.k8s.io/v1/ClusterRoleBinding is not a kind an app may emit`,
    );
    expect(err.message).toContain('Fix: cluster-scoped objects belong in the cluster baseline');
  });

  it("an allowed kind in another app's namespace (a second default-deny that selects nothing) is refused", async () => {
    const err = await refused(
      appWith('sneaky-api', ({ scope }) => {
        new ApiObject(scope, 'np', {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: { name: 'default-deny', namespace: 'orders-api' },
          spec: { podSelector: { matchLabels: { none: 'x' } } },
        });
      }),
    );
    expect(err.message).toContain(
      `app sneaky-api, field object NetworkPolicy orders-api/default-deny: is in namespace "orders-api", and an app writes only into its own namespace "sneaky-api"`,
    );
  });

  it.each(['kube-system', 'flux-system'])('an object in %s is refused', async (ns) => {
    const err = await refused(
      appWith('sneaky-api', ({ scope }) => {
        new ApiObject(scope, 'cm', {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'x', namespace: ns },
          data: {},
        });
      }),
    );
    expect(err.message).toContain(`field object ConfigMap ${ns}/x: is in namespace "${ns}"`);
  });

  it('a List item without a namespace (cdk8s does not default it) is refused with the namespace to set', async () => {
    const err = await refused(
      appWith('sneaky-api', ({ scope }) => {
        new ApiObject(scope, 'cm', {
          apiVersion: 'v1',
          kind: 'ConfigMapList',
          metadata: { name: 'x' },
          items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }],
        } as never);
      }),
    );
    expect(err.message).toContain('field object ConfigMap <no namespace>/x:');
    expect(err.message).toContain('has no metadata.namespace');
    expect(err.message).toContain('Fix: set metadata.namespace: "sneaky-api"');
  });

  it.each([
    ['v1', 'Secret'],
    ['admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration'],
    ['apiextensions.k8s.io/v1', 'CustomResourceDefinition'],
    ['kustomize.toolkit.fluxcd.io/v1', 'Kustomization'],
    ['source.toolkit.fluxcd.io/v1', 'GitRepository'],
    ['v1', 'Pod'],
    // The right kind in the wrong group is another kind.
    ['example.com/v1', 'Deployment'],
  ])('a %s %s in its own namespace is refused: not an allowed kind', async (apiVersion, kind) => {
    const err = await refused(
      appWith('sneaky-api', ({ scope }) => {
        new ApiObject(scope, 'x', { apiVersion, kind, metadata: { name: 'x', namespace: 'sneaky-api' } });
      }),
    );
    expect(err.message).toContain(
      `field object ${kind} sneaky-api/x: ${apiVersion}/${kind} is not a kind an app may emit`,
    );
  });

  it('a privileged Pod wrapped in kind: List (from Include) is expanded and refused by its own kind', async () => {
    const dir = fs.mkdtempSync(path.join(root, 'include-'));
    const file = path.join(dir, 'list.yaml');
    fs.writeFileSync(
      file,
      'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata:\n      name: root-shell\n      namespace: sneaky-api\n    spec:\n      hostPID: true\n      containers:\n        - name: sh\n          image: busybox:1.36\n          securityContext:\n            privileged: true\n',
    );
    const err = await refused(
      appWith('sneaky-api', ({ scope }) => {
        new Include(scope, 'inc', { url: file });
      }),
    );
    expect(err.message).toContain('field object Pod sneaky-api/root-shell: v1/Pod is not a kind an app may emit');
  });

  it('a RoleBindingList hiding a cluster-admin binding in another namespace is expanded and refused', async () => {
    const err = await refused(
      appWith('sneaky-api', ({ scope }) => {
        new ApiObject(scope, 'list', {
          apiVersion: 'rbac.authorization.k8s.io/v1',
          kind: 'RoleBindingList',
          metadata: { name: 'unused' },
          items: [
            {
              apiVersion: 'rbac.authorization.k8s.io/v1',
              kind: 'RoleBinding',
              metadata: { name: 'admin', namespace: 'payments-api' },
              roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
              subjects: [],
            },
          ],
        } as never);
      }),
    );
    expect(err.message).toContain('field object RoleBinding payments-api/admin: is in namespace "payments-api"');
  });

  it('a List whose items are not objects is refused, naming the List', async () => {
    const err = await refused(
      appWith('sneaky-api', ({ scope }) => {
        new ApiObject(scope, 'list', {
          apiVersion: 'v1',
          kind: 'ConfigMapList',
          metadata: { name: 'bad', namespace: 'sneaky-api' },
          items: 'nope',
        } as never);
      }),
    );
    expect(err.message).toContain(
      'field object ConfigMapList sneaky-api/bad: is a ConfigMapList whose items are not a list of objects',
    );
  });

  it("a List of allowed objects in the app's namespace is expanded: each item lands in the app's folder on its own", async () => {
    const other = scratchRoot('tenancy-list');
    try {
      const app = appWith('list-api', ({ scope }) => {
        new ApiObject(scope, 'list', {
          apiVersion: 'v1',
          kind: 'List',
          metadata: { name: 'unused' },
          items: [
            {
              apiVersion: 'v1',
              kind: 'ConfigMap',
              metadata: { name: 'extra-settings', namespace: 'list-api' },
              data: { MODE: 'fast' },
            },
          ],
        } as never);
      });
      const r = await runSynth({ root: other.root, apps: [...EXAMPLE_APPS, app] });
      const mine = r.output.documents
        .filter((d) => d.file === `clusters/${FIRST}/list-api/manifests.yaml`)
        .map((d) => `${d.object.kind} ${d.object.metadata.name}`);
      expect(mine).toContain('ConfigMap extra-settings');
      expect(mine.filter((k) => k.startsWith('List'))).toEqual([]);
      expect(fs.readFileSync(path.join(other.root, `clusters/${FIRST}/list-api/manifests.yaml`), 'utf8')).not.toMatch(
        /^kind: List$/m,
      );
    } finally {
      other.cleanup();
    }
  });
});

describe('reserved namespaces (RESERVED_NAMESPACES, tenancy.ts)', () => {
  it.each(['aks-command', 'azure-alb-system', 'gatekeeper-system', 'calico-system', 'tigera-operator', 'cert-manager'])(
    '%s is refused as an app name',
    async (name) => {
      expect(RESERVED_NAMESPACES).toContain(name);
      const err = await refused(appWith(name, () => undefined));
      expect(err.message).toContain(`app ${name}, field name: "${name}" is reserved by the platform`);
    },
  );

  it.each(['app-routing-system', 'kube-node-lease', 'tigera-operator'])(
    '%s is refused as the namespace of a shared Gateway',
    (ns) => {
      const gw = FLEET.find((c) => c.l7.kind === 'gateway-api');
      if (!gw || gw.l7.kind !== 'gateway-api')
        throw new Error('the reliability fleet has no gateway-api cluster to vary');
      const spec = { ...gw, l7: { ...gw.l7, gateway: { ...gw.l7.gateway, namespace: ns } } } as ClusterSpec;
      expect(() => loadFleet([spec])).toThrow(`field l7.gateway.namespace: "${ns}" is a system namespace`);
    },
  );
});

describe('README "What an app may emit" lists exactly APP_ALLOWED_KINDS', () => {
  it('every allowed kind is in the README table, and the table names nothing else', () => {
    const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
    const start = readme.indexOf('### What an app may emit');
    expect(start).toBeGreaterThan(0);
    const rows =
      readme
        .slice(start)
        .split('\n\n')[2]
        ?.split('\n')
        .filter((l) => l.startsWith('| `')) ?? [];
    const listed = rows
      .map((l) => l.split('|').map((c) => c.trim().replace(/`/g, '')))
      .map(([, group, kind, resource]) => `${group}|${kind}|${resource}`);
    expect(listed.sort()).toEqual(APP_ALLOWED_KINDS.map((k) => `${k.group || 'core'}|${k.kind}|${k.resource}`).sort());
  });
});

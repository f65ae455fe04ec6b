/**
 * Zero trust between teams, tried as a new user would: an app's code (a raw ApiObject, an escape
 * hatch) tries to reach beyond its namespace. `npm run synth` refuses each attempt with exit 1, a
 * report naming the app's folder, the object, the rule and the fix, and writes nothing. The same
 * objects written by hand into the committed tree fail `npm run policy` and `npm run drift`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  APP_PRELUDE,
  FLEET_MODULE,
  STACK_LINE,
  controlFilesLeft,
  hashTree,
  removeScratch,
  runCli,
  runSynthCli,
  scratchRepo,
  writeAppFile,
} from './support/scratch';

const DEV = 'rel-dev';
const VICTIM = 'victim';
const SNEAKY = 'sneaky';
const API = `    const api = new L7Api(scope, 'api', { image: IMG('${SNEAKY}'), port: 8080, routes: [{ host: '${SNEAKY}.example.com' }] });\n    void api;\n`;

interface Attempt {
  readonly title: string;
  /** Statements added to the sneaky app's deploy body, after its L7Api `api`. */
  readonly body: string;
  /** The same object as YAML, for the hand-written variant (omit when it is an escape-hatch patch). */
  readonly yaml?: string;
  /** `<rule> <object>` lines the report must contain. */
  readonly expect: readonly string[];
}

const PRIVILEGED_POD = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'root-shell', namespace: SNEAKY },
  spec: {
    containers: [{ name: 'shell', image: 'docker.io/library/busybox:1.36', securityContext: { privileged: true } }],
  },
};

const ATTEMPTS: readonly Attempt[] = [
  {
    title: 'a cluster-scoped object (raw ApiObject)',
    body: `    new ApiObject(scope, 'pc', { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'sneaky-top' }, value: 1000000000 });`,
    yaml: 'apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: sneaky-top\nvalue: 1000000000\n',
    expect: ['app-namespaced PriorityClass sneaky-top'],
  },
  {
    title: "an object in another app's namespace (raw ApiObject)",
    body: `    new ApiObject(scope, 'open', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'allow-all', namespace: '${VICTIM}' }, spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] } });`,
    yaml: `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: allow-all\n  namespace: ${VICTIM}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n  ingress:\n    - from:\n        - podSelector: {}\n`,
    expect: [
      `app-own-namespace NetworkPolicy ${VICTIM}/allow-all`,
      `namespace-owned-by-app NetworkPolicy ${VICTIM}/allow-all`,
    ],
  },
  {
    title: 'a ClusterRoleBinding to cluster-admin (raw ApiObject)',
    body: `    new ApiObject(scope, 'crb', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'sneaky-admin' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'ServiceAccount', name: '${SNEAKY}', namespace: '${SNEAKY}' }] });`,
    yaml: `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: sneaky-admin\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: cluster-admin\nsubjects:\n  - kind: ServiceAccount\n    name: ${SNEAKY}\n    namespace: ${SNEAKY}\n`,
    expect: [
      'rbac-no-privileged-binding ClusterRoleBinding sneaky-admin',
      'app-namespaced ClusterRoleBinding sneaky-admin',
    ],
  },
  {
    title: 'an admission webhook (raw ApiObject)',
    body: `    new ApiObject(scope, 'hook', { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: 'sneaky-inject' }, webhooks: [] });`,
    yaml: 'apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\nmetadata:\n  name: sneaky-inject\nwebhooks: []\n',
    expect: [
      'no-admission-webhooks MutatingWebhookConfiguration sneaky-inject',
      'app-namespaced MutatingWebhookConfiguration sneaky-inject',
    ],
  },
  {
    title: 'its Deployment moved into kube-system (escape hatch)',
    body: `    api.deployment.addJsonPatch(JsonPatch.replace('/metadata/namespace', 'kube-system'));`,
    expect: [`reserved-namespace Deployment kube-system/${SNEAKY}`],
  },
  {
    title: 'a privileged Pod wrapped in kind: List (raw ApiObject)',
    body: `    new ApiObject(scope, 'list', { apiVersion: 'v1', kind: 'List', metadata: { name: 'wrapped' }, items: [${JSON.stringify(PRIVILEGED_POD)}] });`,
    yaml: `apiVersion: v1\nkind: List\nitems:\n  - ${JSON.stringify(PRIVILEGED_POD)}\n`,
    expect: [`pss-privileged Pod ${SNEAKY}/root-shell`, `app-allowed-kind Pod ${SNEAKY}/root-shell`],
  },
];

function sneakySource(body: string): string {
  return `import { ApiObject, JsonPatch } from 'cdk8s';\n${APP_PRELUDE}export default defineApp({\n  name: '${SNEAKY}',\n  deploy: ({ scope }) => {\n${API}${body}\n  },\n});\n`;
}

let root: string;
let before: Map<string, string>;

beforeAll(async () => {
  root = scratchRepo('tenancy-gate', {
    [VICTIM]: `    new L7Api(scope, 'api', { image: IMG('${VICTIM}'), port: 8080, routes: [{ host: '${VICTIM}.example.com' }] });`,
    [SNEAKY]: API,
  });
  const first = await runSynthCli(root);
  expect(first.code).toBe(0);
  before = hashTree(root);
}, 120_000);

afterAll(() => removeScratch(root));

describe('npm run synth refuses an app that reaches beyond its namespace', () => {
  // Synth checks an app's output contract as it renders (a ConfigError) and the policy gate checks
  // it again before the write (a PolicyGateError); whichever speaks first, the user sees the app,
  // the object and a fix, exit 1, and nothing is written.
  it.each(ATTEMPTS.map((attempt) => [attempt.title, attempt] as const))(
    '%s',
    async (_title, attempt) => {
      writeAppFile(root, SNEAKY, sneakySource(attempt.body));
      try {
        const result = await runSynthCli(root);
        const output = result.stdout + result.stderr;
        expect(result.code).toBe(1);
        expect(output).toMatch(new RegExp(`app ${SNEAKY}\\b`));
        for (const line of attempt.expect) {
          const [, kind, object] = line.split(' ');
          expect(output).toContain(kind);
          expect(output).toContain(object.split('/').pop());
        }
        expect(output).toMatch(/fix/i);
        expect(output).not.toMatch(STACK_LINE);
        expect(hashTree(root)).toEqual(before);
        expect(controlFilesLeft(root)).toEqual([]);
      } finally {
        writeAppFile(root, SNEAKY, sneakySource(''));
      }
    },
    60_000,
  );

  it('names the fix for a cluster-scoped object: it belongs in the cluster baseline', async () => {
    writeAppFile(root, SNEAKY, sneakySource(ATTEMPTS[0].body));
    try {
      const result = await runSynthCli(root);
      expect(result.stdout + result.stderr).toMatch(/cluster-scoped objects belong in the cluster baseline/i);
    } finally {
      writeAppFile(root, SNEAKY, sneakySource(''));
    }
  }, 60_000);

  // Objects of allowed kinds in the app's own namespace pass the output contract; the gate judges what they do.
  it.each([
    [
      'a Role of the app granting secrets and pods/exec',
      `    new ApiObject(scope, 'role', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'peek', namespace: '${SNEAKY}' }, rules: [{ apiGroups: [''], resources: ['secrets', 'pods/exec'], verbs: ['get', 'create'] }] });`,
      [`rbac-app-role-scope Role ${SNEAKY}/peek`],
    ],
    [
      'a privileged container waived with a never-waivable rule',
      `    api.deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/securityContext/privileged', true));\n    api.deployment.metadata.addAnnotation('waivers.aks-gitops.io/pss-privileged', 'GPU driver installer, approved in SEC-123');`,
      [`pss-privileged Deployment ${SNEAKY}/${SNEAKY}`, `waiver-not-waivable Deployment ${SNEAKY}/${SNEAKY}`],
    ],
    [
      'a wildcard waiver',
      `    api.deployment.metadata.addAnnotation('waivers.aks-gitops.io/*', 'everything here is fine, trust me');`,
      [`waiver-wildcard Deployment ${SNEAKY}/${SNEAKY}`],
    ],
  ])(
    '%s fails the policy gate, naming the folder, object, rule and fix',
    async (_title, body, expected) => {
      writeAppFile(root, SNEAKY, sneakySource(body));
      try {
        const result = await runSynthCli(root);
        const output = result.stdout + result.stderr;
        expect(result.code).toBe(1);
        expect(output).toContain('policy gate');
        for (const line of expected) {
          const [rule, ...object] = line.split(' ');
          expect(output).toMatch(new RegExp(`error +${rule} +${object.join(' ').replace(/[/.*]/g, '\\$&')} `));
        }
        expect(output).toContain(`file: clusters/${DEV}/${SNEAKY}/manifests.yaml`);
        expect(output).toContain('fix: ');
        expect(hashTree(root)).toEqual(before);
      } finally {
        writeAppFile(root, SNEAKY, sneakySource(''));
      }
    },
    60_000,
  );
});

describe('the same objects written by hand into clusters/', () => {
  const manifests = (): string => path.join(root, 'clusters', DEV, SNEAKY, 'manifests.yaml');

  it.each(ATTEMPTS.filter((attempt) => attempt.yaml !== undefined).map((attempt) => [attempt.title, attempt] as const))(
    '%s fails npm run policy and npm run drift',
    async (_title, attempt) => {
      const original = fs.readFileSync(manifests(), 'utf8');
      fs.appendFileSync(manifests(), `---\n${attempt.yaml ?? ''}`);
      try {
        const policy = await runCli(root, ['policy', '--clusters-module', FLEET_MODULE]);
        expect(policy.code).toBe(1);
        for (const line of attempt.expect) {
          const [rule, ...object] = line.split(' ');
          expect(policy.stdout).toMatch(new RegExp(`error +${rule} +${object.join(' ').replace(/[/.]/g, '\\$&')} `));
        }
        expect(policy.stdout).toContain(`file: clusters/${DEV}/${SNEAKY}/manifests.yaml`);
        const drift = await runCli(root, ['drift', '--clusters-module', FLEET_MODULE]);
        expect(drift.code).toBe(1);
        expect(drift.stdout + drift.stderr).toContain(`clusters/${DEV}/${SNEAKY}/manifests.yaml`);
      } finally {
        fs.writeFileSync(manifests(), original);
      }
    },
    60_000,
  );

  it('a file synth did not write fails npm run policy, naming the file', async () => {
    const stray = path.join(root, 'clusters', DEV, SNEAKY, 'extra.yaml');
    fs.writeFileSync(stray, ATTEMPTS[0].yaml ?? '');
    try {
      const policy = await runCli(root, ['policy', '--clusters-module', FLEET_MODULE]);
      expect(policy.code).toBe(1);
      expect(policy.stdout).toMatch(/error +file-generated +File /);
      expect(policy.stdout).toContain(`clusters/${DEV}/${SNEAKY}/extra.yaml was not written by synth`);
    } finally {
      fs.rmSync(stray);
    }
  }, 60_000);

  it('a hand-made folder for an app that does not exist fails npm run policy, naming it', async () => {
    const folder = path.join(root, 'clusters', DEV, 'evil');
    fs.mkdirSync(folder);
    fs.writeFileSync(
      path.join(folder, 'manifests.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: evil\n',
    );
    fs.writeFileSync(path.join(folder, 'kustomization.yaml'), 'resources:\n  - manifests.yaml\n');
    try {
      const policy = await runCli(root, ['policy', '--clusters-module', FLEET_MODULE]);
      expect(policy.code).toBe(1);
      expect(policy.stdout).toContain(
        `clusters/${DEV}/evil/manifests.yaml was not written by synth: there is no app evil (apps/evil/)`,
      );
    } finally {
      fs.rmSync(folder, { recursive: true });
    }
  }, 60_000);

  it('the untouched tree passes npm run policy, and --waivers lists no rejected waiver', async () => {
    const policy = await runCli(root, ['policy', '--clusters-module', FLEET_MODULE]);
    expect(policy.code).toBe(0);
    const waivers = await runCli(root, ['policy', '--clusters-module', FLEET_MODULE, '--waivers', '--json']);
    expect(waivers.code).toBe(0);
    expect(
      (JSON.parse(waivers.stdout) as { waivers: { counts: boolean }[] }).waivers.filter((waiver) => !waiver.counts),
    ).toEqual([]);
  }, 60_000);
});

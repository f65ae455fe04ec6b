import { evaluate, type Finding } from '@aks-gitops/policy';
import {
  BREADTH_GOOD_CASES,
  onKubernetes,
  podObject,
  POD_KINDS,
  RUN_TO_COMPLETION,
  type PodKind,
} from './breadth-cases';
import { APP, DIGEST, Fixture, PROD_CLUSTER, type Mutable } from './fixtures';

/**
 * Pod rules are tested on every pod kind in the app's folder; kinds an app may not emit there
 * (APP_ALLOWED_KINDS: no bare Pods, DaemonSets, Jobs, Secrets, ...) also break app-allowed-kind,
 * which the tenancy cases test on their own, so these tests leave it out.
 */
function judged(findings: Finding[]): Finding[] {
  return findings.filter((finding) => finding.ruleId !== 'app-allowed-kind');
}

function open(findings: Finding[]): Finding[] {
  return judged(findings).filter((finding) => !finding.waived);
}

describe('issue 18 rules stay silent on compliant manifests', () => {
  it.each(BREADTH_GOOD_CASES)('%s', (_name, mutate, options) => {
    const fixture = new Fixture(options);
    mutate(fixture);
    expect(judged(evaluate(fixture.input()).findings)).toEqual([]);
  });

  it('a flowcontrol v1beta3 FlowSchema passes on Kubernetes 1.28, is deprecated on 1.30 and removed on 1.32', () => {
    const fixture = new Fixture();
    fixture.add(fixture.platformFolder, {
      apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3',
      kind: 'FlowSchema',
      metadata: { name: 'batch-clients' },
      spec: {},
    });
    expect(evaluate(fixture.input(onKubernetes(fixture, '1.28'))).findings).toEqual([]);
    expect(evaluate(fixture.input(onKubernetes(fixture, '1.30'))).findings).toEqual([
      expect.objectContaining({
        ruleId: 'api-version-deprecated',
        severity: 'error',
        message:
          'apiVersion flowcontrol.apiserver.k8s.io/v1beta3 of FlowSchema is deprecated since Kubernetes 1.29 and removed in 1.32 (cluster aks-dev-weu runs 1.30); use flowcontrol.apiserver.k8s.io/v1',
      }),
    ]);
    expect(evaluate(fixture.input(onKubernetes(fixture, '1.32'))).findings).toEqual([
      expect.objectContaining({
        ruleId: 'api-version-deprecated',
        object: 'FlowSchema batch-clients',
        message:
          'apiVersion flowcontrol.apiserver.k8s.io/v1beta3 of FlowSchema is no longer served since Kubernetes 1.32 (cluster aks-dev-weu runs 1.32), so the object cannot be applied; use flowcontrol.apiserver.k8s.io/v1',
        fix: 'Use apiVersion: flowcontrol.apiserver.k8s.io/v1 (see the Kubernetes deprecated API migration guide for field changes).',
      }),
    ]);
  });

  it('names the replacement of a removed API version', () => {
    const fixture = new Fixture();
    fixture.find('PodDisruptionBudget', APP).apiVersion = 'policy/v1beta1';
    const [finding] = evaluate(fixture.input()).findings;
    expect(finding.message).toBe(
      'apiVersion policy/v1beta1 of PodDisruptionBudget is no longer served since Kubernetes 1.25 (cluster aks-dev-weu runs 1.30), so the object cannot be applied; use policy/v1',
    );
  });

  it('skips the rules whose cluster facts the caller did not give (version, registries, L7 class)', () => {
    const fixture = new Fixture();
    fixture.find('PodDisruptionBudget', APP).apiVersion = 'policy/v1beta1';
    fixture.container().image = 'quay.io/someone/orders-api:1.4.2';
    fixture.spec('Ingress', APP).ingressClassName = 'nginx';
    expect(evaluate(fixture.input({ clusters: [{ name: fixture.cluster, environment: 'dev' }] })).findings).toEqual([]);
  });
});

describe('trusted registries', () => {
  it('names the image, its registry and the fix; an error in prod, a warning elsewhere', () => {
    for (const [options, severity] of [
      [{}, 'warning'],
      [{ cluster: PROD_CLUSTER, environment: 'prod' }, 'error'],
    ] as const) {
      const fixture = new Fixture(options);
      fixture.container().image = `docker.io/bitnami/redis:7.4.1@${DIGEST}`;
      const report = evaluate(fixture.input());
      expect(report.findings).toEqual([
        {
          ruleId: 'image-registry',
          severity,
          cluster: fixture.cluster,
          file: `${fixture.appFolder}/deployment-${APP}.yaml`,
          object: `Deployment ${APP}/${APP}`,
          message: `container "app": image "docker.io/bitnami/redis:7.4.1@${DIGEST}" comes from registry docker.io (repository bitnami/redis), which is not in cluster ${fixture.cluster}'s allowedRegistries ["acr.azurecr.io"]`,
          fix: 'Push the image to an allowed registry (e.g. import it into acr.azurecr.io) and reference it there, add "docker.io/bitnami/redis" to allowedRegistries in the cluster spec after review, or waive it with the reason.',
        },
      ]);
      expect(report.ok).toBe(severity === 'warning');
    }
  });

  it('is waivable with a reason on the workload', () => {
    const fixture = new Fixture({ cluster: PROD_CLUSTER, environment: 'prod' });
    fixture.container().image = `docker.io/bitnami/redis:7.4.1@${DIGEST}`;
    fixture.annotate(
      'Deployment',
      APP,
      'waivers.aks-gitops.io/image-registry',
      'vendor image, mirrored by SEC-42 next sprint',
    );
    const report = evaluate(fixture.input());
    expect(report.findings).toEqual([
      expect.objectContaining({
        ruleId: 'image-registry',
        severity: 'error',
        waived: { reason: 'vendor image, mirrored by SEC-42 next sprint' },
      }),
    ]);
    expect(report.ok).toBe(true);
  });

  it('checks init containers too', () => {
    const fixture = new Fixture();
    const init = structuredClone(fixture.container());
    Object.assign(init, { name: 'migrate', image: 'ghcr.io/other/migrate:1.0.0' });
    delete init.readinessProbe;
    delete init.livenessProbe;
    fixture.podSpec().initContainers = [init];
    expect(open(evaluate(fixture.input()).findings)).toEqual([
      expect.objectContaining({
        ruleId: 'image-registry',
        message: expect.stringContaining('initContainer "migrate": image "ghcr.io/other/migrate:1.0.0"'),
      }),
    ]);
  });
});

describe('every pod-bearing kind', () => {
  it.each(POD_KINDS)('a compliant %s passes', (kind: PodKind) => {
    const fixture = new Fixture();
    fixture.add(fixture.appFolder, podObject(fixture, kind, 'extra'));
    expect(judged(evaluate(fixture.input()).findings)).toEqual([]);
  });

  it.each(POD_KINDS)('a %s gets the security, resource and image rules', (kind: PodKind) => {
    const fixture = new Fixture();
    fixture.add(
      fixture.appFolder,
      podObject(fixture, kind, 'extra', (pod) => {
        const container = ((pod.spec as Mutable).containers as Mutable[])[0];
        (container.securityContext as Mutable).privileged = true;
        delete (pod.spec as Mutable).securityContext;
        delete container.resources;
        container.image = 'quay.io/someone/tool:1.0.0';
      }),
    );
    const rules = [...new Set(open(evaluate(fixture.input()).findings).map((finding) => finding.ruleId))].sort();
    expect(rules).toEqual([
      'container-resources',
      'image-registry',
      'pod-high-uid-gid',
      'pss-privileged',
      'pss-run-as-non-root',
      'pss-seccomp-profile',
    ]);
  });

  it.each(POD_KINDS)('a %s without probes: required unless it runs to completion', (kind: PodKind) => {
    const fixture = new Fixture();
    fixture.add(
      fixture.appFolder,
      podObject(fixture, kind, 'extra', (pod) => {
        for (const container of (pod.spec as Mutable).containers as Mutable[]) {
          delete container.readinessProbe;
          delete container.livenessProbe;
        }
      }),
    );
    const rules = open(evaluate(fixture.input()).findings)
      .map((finding) => finding.ruleId)
      .sort();
    expect(rules).toEqual(RUN_TO_COMPLETION.has(kind) ? [] : ['liveness-probe', 'readiness-probe']);
  });
});

import { evaluate, RULES, type Finding } from '@aks-gitops/policy';
import { APP, CLUSTER, DEPLOYMENT, Fixture, type Mutable } from './fixtures';

const WAIVE_PRIVILEGED = 'waivers.aks-gitops.io/read-only-root-filesystem';

/** A container with a writable root filesystem: a waivable finding (unlike privileged, which never is). */
function privilegedFixture(): Fixture {
  const fixture = new Fixture();
  fixture.containerSecurityContext().readOnlyRootFilesystem = false;
  return fixture;
}

function findingsFor(findings: Finding[], ruleId: string): Finding[] {
  return findings.filter((finding) => finding.ruleId === ruleId);
}

describe('waivers', () => {
  it('waives a finding through an annotation on the workload metadata, keeping it in the report', () => {
    const fixture = privilegedFixture();
    fixture.annotate('Deployment', APP, WAIVE_PRIVILEGED, 'legacy JVM writes its cache, approved in SEC-123');
    const report = evaluate(fixture.input());
    expect(report.findings).toEqual([
      expect.objectContaining({
        ruleId: 'read-only-root-filesystem',
        object: DEPLOYMENT,
        severity: 'error',
        waived: { reason: 'legacy JVM writes its cache, approved in SEC-123' },
      }),
    ]);
    expect(report.ok).toBe(true);
    expect(report.summary).toEqual([{ cluster: CLUSTER, objects: 14, errors: 0, warnings: 0, waived: 1 }]);
  });

  it('accepts the waiver on the pod template metadata for pod rules', () => {
    const fixture = privilegedFixture();
    (fixture.podTemplate().metadata as Mutable).annotations = { [WAIVE_PRIVILEGED]: 'approved in SEC-124' };
    const report = evaluate(fixture.input());
    expect(findingsFor(report.findings, 'read-only-root-filesystem')).toEqual([
      expect.objectContaining({ waived: { reason: 'approved in SEC-124' } }),
    ]);
    expect(report.ok).toBe(true);
  });

  it('does not waive with an empty reason, and reports the empty waiver as an error', () => {
    const fixture = privilegedFixture();
    fixture.annotate('Deployment', APP, WAIVE_PRIVILEGED, '');
    const report = evaluate(fixture.input());
    expect(findingsFor(report.findings, 'read-only-root-filesystem')).toEqual([
      expect.not.objectContaining({ waived: expect.anything() }),
    ]);
    expect(findingsFor(report.findings, 'waiver-without-reason')).toEqual([
      expect.objectContaining({ object: DEPLOYMENT, severity: 'error' }),
    ]);
    expect(report.ok).toBe(false);
  });

  it('warns about a waiver naming an unknown rule without failing the gate', () => {
    const fixture = new Fixture();
    fixture.annotate('Deployment', APP, 'waivers.aks-gitops.io/pss-privilegd', 'typo');
    const report = evaluate(fixture.input());
    expect(report.findings).toEqual([
      expect.objectContaining({ ruleId: 'waiver-unknown-rule', object: DEPLOYMENT, severity: 'warning' }),
    ]);
    expect(report.findings[0].message).toContain('pss-privilegd');
    expect(report.ok).toBe(true);
  });

  it('only waives the named rule', () => {
    const fixture = privilegedFixture();
    fixture.annotate(
      'Deployment',
      APP,
      'waivers.aks-gitops.io/pss-seccomp-profile',
      'needs an unconfined profile for now',
    );
    const report = evaluate(fixture.input());
    expect(findingsFor(report.findings, 'read-only-root-filesystem')[0].waived).toBeUndefined();
    expect(report.ok).toBe(false);
  });

  it('only waives findings on the annotated object', () => {
    const fixture = privilegedFixture();
    fixture.annotate('Service', APP, WAIVE_PRIVILEGED, 'annotated on the wrong object');
    expect(evaluate(fixture.input()).ok).toBe(false);
  });

  it('never waives default deny, even on the Namespace object with a real reason', () => {
    const fixture = new Fixture();
    fixture.remove('NetworkPolicy', 'default-deny');
    fixture.annotate(
      'Namespace',
      APP,
      'waivers.aks-gitops.io/netpol-default-deny',
      'migration window until 2026-12-01',
    );
    const report = evaluate(fixture.input());
    expect(report.findings).toEqual([
      expect.objectContaining({ ruleId: 'netpol-default-deny', object: `Namespace ${APP}`, severity: 'error' }),
      expect.objectContaining({ ruleId: 'waiver-not-waivable', object: `Namespace ${APP}`, severity: 'error' }),
    ]);
    expect(report.findings[0].waived).toBeUndefined();
    expect(report.ok).toBe(false);
  });

  it.each([
    'pss-privileged',
    'pss-host-namespaces',
    'pss-host-path',
    'app-own-namespace',
    'rbac-no-wildcards',
    'no-admission-webhooks',
    'file-generated',
  ])('never waives %s', (ruleId) => {
    expect(RULES.find((rule) => rule.id === ruleId)?.waivable).toBe(false);
  });

  it('a privileged container stays an error whatever the annotation says', () => {
    const fixture = new Fixture();
    fixture.containerSecurityContext().privileged = true;
    fixture.annotate(
      'Deployment',
      APP,
      'waivers.aks-gitops.io/pss-privileged',
      'GPU driver installer, approved in SEC-123',
    );
    const report = evaluate(fixture.input());
    expect(report.findings.map((finding) => [finding.ruleId, finding.waived])).toEqual([
      ['pss-privileged', undefined],
      ['waiver-not-waivable', undefined],
    ]);
    expect(report.ok).toBe(false);
  });

  it("does not count a waiver another folder put on an object in an app's namespace", () => {
    const fixture = new Fixture();
    // The payments-api folder writes a wide-open policy into orders-api's namespace and waives it there.
    fixture.add(`clusters/${CLUSTER}/payments-api`, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: {
        name: 'open',
        namespace: APP,
        annotations: { 'waivers.aks-gitops.io/netpol-allow-from-anywhere': 'payments needs to reach everything here' },
      },
      spec: { podSelector: {}, policyTypes: ['Ingress'], ingress: [{}] },
    });
    const report = evaluate(fixture.input());
    expect(report.findings.filter((finding) => finding.ruleId === 'netpol-allow-from-anywhere')).toEqual([
      expect.objectContaining({ object: `NetworkPolicy ${APP}/open` }),
    ]);
    expect(report.findings.find((finding) => finding.ruleId === 'netpol-allow-from-anywhere')?.waived).toBeUndefined();
    expect(report.findings).toContainEqual(
      expect.objectContaining({ ruleId: 'waiver-foreign-object', object: `NetworkPolicy ${APP}/open` }),
    );
    expect(report.ok).toBe(false);
  });

  it.each([
    ['empty', ''],
    ['a placeholder', 'N/A'],
    ['a placeholder', 'todo'],
    ['too short', 'SEC-1'],
    ['too few words', 'approved-by-security'],
    ['a control character', 'approved by\u001b[31m security'],
  ])('does not waive with a reason that is %s (%j)', (_why, reason) => {
    const fixture = privilegedFixture();
    fixture.annotate('Deployment', APP, WAIVE_PRIVILEGED, reason);
    const report = evaluate(fixture.input());
    expect(findingsFor(report.findings, 'read-only-root-filesystem')[0].waived).toBeUndefined();
    expect(findingsFor(report.findings, 'waiver-without-reason')).toEqual([
      expect.objectContaining({ object: DEPLOYMENT, severity: 'error' }),
    ]);
  });

  it('waives an open NetworkPolicy rule on the policy itself', () => {
    const fixture = new Fixture();
    (fixture.spec('NetworkPolicy', APP).ingress as Mutable[])[0].from = [{ ipBlock: { cidr: '0.0.0.0/0' } }];
    fixture.annotate(
      'NetworkPolicy',
      APP,
      'waivers.aks-gitops.io/netpol-allow-from-anywhere',
      'public health endpoint behind WAF',
    );
    const report = evaluate(fixture.input());
    expect(report.findings).toEqual([
      expect.objectContaining({
        ruleId: 'netpol-allow-from-anywhere',
        waived: { reason: 'public health endpoint behind WAF' },
      }),
    ]);
  });

  it('trims whitespace around the reason', () => {
    const fixture = privilegedFixture();
    fixture.annotate('Deployment', APP, WAIVE_PRIVILEGED, '  approved in SEC-125  ');
    expect(findingsFor(evaluate(fixture.input()).findings, 'read-only-root-filesystem')[0].waived).toEqual({
      reason: 'approved in SEC-125',
    });
  });
});

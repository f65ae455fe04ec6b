import { evaluate, type Finding } from '@aks-gitops/policy';
import { APP, CLUSTER, Fixture, type Mutable } from './fixtures';

const DEPLOYMENT = `Deployment ${APP}/${APP}`;
const WAIVE_PRIVILEGED = 'waivers.aks-gitops.io/pss-privileged';

function privilegedFixture(): Fixture {
  const fixture = new Fixture();
  fixture.containerSecurityContext().privileged = true;
  return fixture;
}

function findingsFor(findings: Finding[], ruleId: string): Finding[] {
  return findings.filter((finding) => finding.ruleId === ruleId);
}

describe('waivers', () => {
  it('waives a finding through an annotation on the workload metadata, keeping it in the report', () => {
    const fixture = privilegedFixture();
    fixture.annotate('Deployment', APP, WAIVE_PRIVILEGED, 'GPU driver installer, approved in SEC-123');
    const report = evaluate(fixture.input());
    expect(report.findings).toEqual([
      expect.objectContaining({ ruleId: 'pss-privileged', object: DEPLOYMENT, severity: 'error', waived: { reason: 'GPU driver installer, approved in SEC-123' } }),
    ]);
    expect(report.ok).toBe(true);
    expect(report.summary).toEqual([{ cluster: CLUSTER, objects: 14, errors: 0, warnings: 0, waived: 1 }]);
  });

  it('accepts the waiver on the pod template metadata for pod rules', () => {
    const fixture = privilegedFixture();
    (fixture.podTemplate().metadata as Mutable).annotations = { [WAIVE_PRIVILEGED]: 'approved in SEC-124' };
    const report = evaluate(fixture.input());
    expect(findingsFor(report.findings, 'pss-privileged')).toEqual([expect.objectContaining({ waived: { reason: 'approved in SEC-124' } })]);
    expect(report.ok).toBe(true);
  });

  it('does not waive with an empty reason, and reports the empty waiver as an error', () => {
    const fixture = privilegedFixture();
    fixture.annotate('Deployment', APP, WAIVE_PRIVILEGED, '');
    const report = evaluate(fixture.input());
    expect(findingsFor(report.findings, 'pss-privileged')).toEqual([expect.not.objectContaining({ waived: expect.anything() })]);
    expect(findingsFor(report.findings, 'waiver-without-reason')).toEqual([expect.objectContaining({ object: DEPLOYMENT, severity: 'error' })]);
    expect(report.ok).toBe(false);
  });

  it('warns about a waiver naming an unknown rule without failing the gate', () => {
    const fixture = new Fixture();
    fixture.annotate('Deployment', APP, 'waivers.aks-gitops.io/pss-privilegd', 'typo');
    const report = evaluate(fixture.input());
    expect(report.findings).toEqual([expect.objectContaining({ ruleId: 'waiver-unknown-rule', object: DEPLOYMENT, severity: 'warning' })]);
    expect(report.findings[0].message).toContain('pss-privilegd');
    expect(report.ok).toBe(true);
  });

  it('only waives the named rule', () => {
    const fixture = privilegedFixture();
    fixture.annotate('Deployment', APP, 'waivers.aks-gitops.io/pss-host-ports', 'needs a host port');
    const report = evaluate(fixture.input());
    expect(findingsFor(report.findings, 'pss-privileged')[0].waived).toBeUndefined();
    expect(report.ok).toBe(false);
  });

  it('only waives findings on the annotated object', () => {
    const fixture = privilegedFixture();
    fixture.annotate('Service', APP, WAIVE_PRIVILEGED, 'wrong object');
    expect(evaluate(fixture.input()).ok).toBe(false);
  });

  it('waives namespace-level findings through the Namespace object', () => {
    const fixture = new Fixture();
    fixture.remove('NetworkPolicy', 'default-deny');
    fixture.annotate('Namespace', APP, 'waivers.aks-gitops.io/netpol-default-deny', 'migration window until 2026-12-01');
    const report = evaluate(fixture.input());
    expect(report.findings).toEqual([expect.objectContaining({ ruleId: 'netpol-default-deny', object: `Namespace ${APP}`, waived: { reason: 'migration window until 2026-12-01' } })]);
    expect(report.ok).toBe(true);
  });

  it('waives an open NetworkPolicy rule on the policy itself', () => {
    const fixture = new Fixture();
    (fixture.spec('NetworkPolicy', APP).ingress as Mutable[])[0].from = [{ ipBlock: { cidr: '0.0.0.0/0' } }];
    fixture.annotate('NetworkPolicy', APP, 'waivers.aks-gitops.io/netpol-allow-from-anywhere', 'public health endpoint behind WAF');
    const report = evaluate(fixture.input());
    expect(report.findings).toEqual([expect.objectContaining({ ruleId: 'netpol-allow-from-anywhere', waived: { reason: 'public health endpoint behind WAF' } })]);
  });

  it('trims whitespace around the reason', () => {
    const fixture = privilegedFixture();
    fixture.annotate('Deployment', APP, WAIVE_PRIVILEGED, '  SEC-125  ');
    expect(findingsFor(evaluate(fixture.input()).findings, 'pss-privileged')[0].waived).toEqual({ reason: 'SEC-125' });
  });
});

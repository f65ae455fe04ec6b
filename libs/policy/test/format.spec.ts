import { evaluate, formatJson, formatTable, type PolicyReport } from '@aks-gitops/policy';
import { APP, CLUSTER, Fixture, PROD_CLUSTER } from './fixtures';

function failingReport(): PolicyReport {
  const fixture = new Fixture();
  fixture.containerSecurityContext().privileged = true;
  fixture.find('Namespace', APP).metadata.annotations = {};
  fixture.remove('PodDisruptionBudget', APP);
  fixture.annotate('Deployment', APP, 'waivers.aks-gitops.io/pdb-for-replicated-workload', 'stateless batch, approved');
  return evaluate(fixture.input());
}

describe('formatTable', () => {
  it('groups findings by cluster with aligned columns, fix and file lines, and a summary line', () => {
    const text = formatTable(failingReport());
    const lines = text.split('\n');
    expect(lines[0]).toBe(`== ${CLUSTER} ==`);
    const header = lines[1];
    expect(header).toMatch(/^STATUS +RULE +OBJECT +MESSAGE$/);
    const rows = lines.filter((line) => /^(error|warning|waived) /.test(line));
    expect(rows.map((row) => row.split(/ +/)[0])).toEqual(['error', 'warning', 'waived']);
    for (const row of rows) {
      // Every row's cells start exactly under their header.
      expect(
        row.indexOf('pss-') === header.indexOf('RULE') ||
          row.indexOf('namespace-') === header.indexOf('RULE') ||
          row.indexOf('pdb-') === header.indexOf('RULE'),
      ).toBe(true);
      expect(row.charAt(header.indexOf('OBJECT'))).not.toBe(' ');
      expect(row.charAt(header.indexOf('OBJECT') - 1)).toBe(' ');
      expect(row.charAt(header.indexOf('MESSAGE'))).not.toBe(' ');
    }
    const messageColumn = header.indexOf('MESSAGE');
    const continuation = lines.filter((line) => /^ +(fix|file|waived \(error\)):/.test(line));
    expect(continuation.length).toBe(3 * 2 + 1);
    for (const line of continuation) expect(line.search(/\S/)).toBe(messageColumn);
    expect(text).toContain('waived (error): stateless batch, approved');
    expect(text).toContain(`file: clusters/${CLUSTER}/${APP}/deployment-${APP}.yaml`);
    expect(text).toContain(`${CLUSTER}: 13 objects, 1 error, 1 warning, 1 waived`);
    expect(text.trimEnd().split('\n').pop()).toBe('policy FAILED: 1 error, 1 warning, 1 waived across 1 cluster');
  });

  it('prints a block for every cluster, including clean ones', () => {
    const clean = new Fixture();
    const dirty = new Fixture({ cluster: PROD_CLUSTER, environment: 'prod' });
    dirty.container().image = 'acr.azurecr.io/orders-api:1.4.2';
    const report = evaluate({
      documents: [...clean.documents, ...dirty.documents],
      clusters: [
        { name: CLUSTER, environment: 'dev' },
        { name: PROD_CLUSTER, environment: 'prod' },
      ],
    });
    const text = formatTable(report);
    expect(text).toContain(`== ${CLUSTER} ==\nno findings\n${CLUSTER}: 14 objects, 0 errors, 0 warnings, 0 waived`);
    expect(text.indexOf(`== ${CLUSTER} ==`)).toBeLessThan(text.indexOf(`== ${PROD_CLUSTER} ==`));
    expect(text).toContain('image-digest-in-prod');
    expect(text).toContain('policy FAILED: 1 error, 0 warnings, 0 waived across 2 clusters');
  });

  it('reports a pass', () => {
    expect(formatTable(evaluate(new Fixture().input()))).toContain(
      'policy PASSED: 0 errors, 0 warnings, 0 waived across 1 cluster',
    );
  });
});

describe('formatJson', () => {
  it('writes ok, summary and findings with a fixed key order', () => {
    const parsed = JSON.parse(formatJson(failingReport())) as {
      ok: boolean;
      summary: Record<string, unknown>[];
      findings: Record<string, unknown>[];
    };
    expect(Object.keys(parsed)).toEqual(['ok', 'summary', 'findings']);
    expect(parsed.ok).toBe(false);
    expect(Object.keys(parsed.summary[0])).toEqual(['cluster', 'objects', 'errors', 'warnings', 'waived']);
    const privileged = parsed.findings.find((finding) => finding.ruleId === 'pss-privileged') ?? {};
    expect(Object.keys(privileged)).toEqual(['ruleId', 'severity', 'cluster', 'file', 'object', 'message', 'fix']);
    const waived = parsed.findings.find((finding) => finding.ruleId === 'pdb-for-replicated-workload') ?? {};
    expect(Object.keys(waived)).toEqual([
      'ruleId',
      'severity',
      'cluster',
      'file',
      'object',
      'message',
      'fix',
      'waived',
    ]);
    expect(waived.waived).toEqual({ reason: 'stateless batch, approved' });
  });

  it('is byte-identical whatever order the documents arrive in', () => {
    const fixture = new Fixture();
    fixture.containerSecurityContext().privileged = true;
    fixture.spec('Service', APP).type = 'NodePort';
    fixture.find('Namespace', APP).metadata.annotations = {};
    const forward = formatJson(evaluate(fixture.input()));
    const reversed = formatJson(evaluate(fixture.input({ documents: [...fixture.documents].reverse() })));
    expect(reversed).toBe(forward);
    expect(forward.endsWith('}\n')).toBe(true);
  });
});

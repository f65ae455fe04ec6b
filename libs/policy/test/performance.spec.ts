import type { ManifestDocument } from '@aks-gitops/cluster-model';
import { evaluate, type PolicyInput } from '@aks-gitops/policy';
import { CLUSTER, Fixture } from './fixtures';

/*
 * The gate runs on every pull request over the whole fleet, so it must stay linear. 3,500 objects
 * is the size the toolchain notes benchmark synth at (1,000 workloads).
 */

const BUDGET_MS = 300;

/** Many small app namespaces: the normal shape of the fleet. */
function manyNamespaces(objectTarget: number): PolicyInput {
  const documents: ManifestDocument[] = [];
  const existingPaths = new Set<string>();
  for (let index = 0; documents.length < objectTarget; index++) {
    const fixture = new Fixture({ app: `app-${index}` });
    documents.push(...fixture.documents);
    fixture.existingPaths.forEach((folder) => existingPaths.add(folder));
  }
  return { documents, clusters: [{ name: CLUSTER, environment: 'dev' }], existingPaths };
}

/**
 * One crowded namespace: the case where pairing every pod with every policy would be quadratic.
 * Every selector also shares a label (`aaa.example/shared`, sorting first) to defeat naive bucketing.
 */
function oneCrowdedNamespace(objectTarget: number): PolicyInput {
  const base = new Fixture();
  const template = base.documents.filter((document) => ['Deployment', 'Service', 'PodDisruptionBudget', 'NetworkPolicy'].includes(document.object.kind) && document.object.metadata.name === base.app);
  const documents: ManifestDocument[] = [...base.documents];
  for (let index = 0; documents.length < objectTarget; index++) {
    for (const document of template) {
      const copy = JSON.parse(JSON.stringify(document).replaceAll('"app.kubernetes.io/name":"orders-api"', `"aaa.example/shared":"yes","app.kubernetes.io/name":"worker-${index}"`)) as ManifestDocument;
      copy.object.metadata.name = `worker-${index}`;
      copy.file = document.file.replace('orders-api.yaml', `worker-${index}.yaml`);
      documents.push(copy);
    }
  }
  return base.input({ documents });
}

function timeEvaluate(input: PolicyInput): { milliseconds: number; findings: number } {
  evaluate(input); // warm-up: JIT and first-touch allocations are not what we are budgeting
  let best = Number.POSITIVE_INFINITY;
  let findings = 0;
  for (let run = 0; run < 3; run++) {
    const started = process.hrtime.bigint();
    findings = evaluate(input).findings.length;
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e6);
  }
  return { milliseconds: best, findings };
}

describe('performance', () => {
  it(`evaluates 3,500 objects across many namespaces in under ${BUDGET_MS} ms`, () => {
    const input = manyNamespaces(3500);
    expect(input.documents.length).toBeGreaterThanOrEqual(3500);
    const { milliseconds, findings } = timeEvaluate(input);
    expect(findings).toBe(0);
    expect(milliseconds).toBeLessThan(BUDGET_MS);
  });

  it(`evaluates 3,500 objects in one namespace in under ${BUDGET_MS} ms`, () => {
    const input = oneCrowdedNamespace(3500);
    const { milliseconds, findings } = timeEvaluate(input);
    expect(findings).toBe(0);
    expect(milliseconds).toBeLessThan(BUDGET_MS);
  });
});

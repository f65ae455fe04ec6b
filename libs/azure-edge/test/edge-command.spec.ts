import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { loadFleet } from '@aks-gitops/cluster-model';
import { ArmEmulator } from './support/arm-emulator';

const REPO = path.resolve(__dirname, '../../..');

/** `npm run edge -- <args>` as package.json runs it (the aks-gitops bin), asynchronously so the in-process emulator can answer. */
function edge(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['libs/cli/bin/aks-gitops.cjs', 'edge', ...args],
      { cwd: REPO, env: { ...process.env, AKS_GITOPS_ROOT: REPO } },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('npm run edge on the committed fleet, against the local ARM emulator', () => {
  const arm = new ArmEmulator();
  let endpoint: string;
  beforeAll(async () => {
    endpoint = await arm.start();
  });
  afterAll(() => arm.stop());

  it("plan --json reads every cluster's group from its Firewall Policy's subscription, read-only", async () => {
    const fleet = loadFleet();
    const r = await edge(['plan', '--json', '--endpoint', endpoint]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      clusters: Array<{ cluster: string; policyId: string; resourceId: string; exists: boolean }>;
    };
    expect(doc.clusters.map((c) => c.cluster)).toEqual(fleet.map((c) => c.name));
    for (const c of fleet) {
      const planned = doc.clusters.find((p) => p.cluster === c.name);
      expect(planned?.policyId).toBe(c.firewall.policyId);
      expect(planned?.resourceId).toBe(`${c.firewall.policyId}/ruleCollectionGroups/aks-gitops-${c.name}-dnat`);
      expect(planned?.exists).toBe(false);
    }
    expect(arm.requests.map((q) => `${q.method} ${q.path}`)).toEqual(
      fleet.map((c) => `GET ${c.firewall.policyId}/ruleCollectionGroups/aks-gitops-${c.name}-dnat`),
    );
  }, 60_000);
});

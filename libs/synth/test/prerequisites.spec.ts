import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '@aks-gitops/cluster-model';
import type { Prerequisites } from '@aks-gitops/azure-edge';
import { runSynth } from '@aks-gitops/synth';
import { L7Api, defineApp } from '@aks-gitops/workloads';
import { EXAMPLE_APPS, scratchRoot } from './scratch';

/** A user's new app: an HTTP API with its own host, a workload identity and a Key Vault secret. */
const ledgerApi = defineApp({
  name: 'ledger-api',
  deploy: ({ scope, cluster }) => {
    new L7Api(scope, 'api', {
      image:
        cluster.environment === 'prod'
          ? 'ghcr.io/contoso/ledger-api:1.0.0@sha256:1b2f4c1e8d7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c'
          : 'ghcr.io/contoso/ledger-api:1.0.0',
      port: 8080,
      routes: [{ host: 'ledger.contoso.com', paths: ['/ledger'] }],
      health: { readinessPath: '/healthz/ready', livenessPath: '/healthz/live' },
      workloadIdentity: { clientId: '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a' },
      keyVaultSecrets: ['ledger-db-password'],
    });
  },
});

const read = (root: string, cluster: string): Prerequisites =>
  JSON.parse(
    fs.readFileSync(path.join(root, 'clusters', cluster, 'azure', 'prerequisites.json'), 'utf8'),
  ) as Prerequisites;

describe('clusters/<cluster>/azure/prerequisites.{json,md}: what the IaC team provides, in step with the apps', () => {
  const before = scratchRoot('prereq-before');
  const after = scratchRoot('prereq-after');
  beforeAll(async () => {
    await runSynth({ root: before.root, apps: EXAMPLE_APPS });
    await runSynth({ root: after.root, apps: [...EXAMPLE_APPS, ledgerApi] });
  });
  afterAll(() => {
    before.cleanup();
    after.cleanup();
  });

  it.each(['aks-dev-weu', 'aks-prod-weu'])(
    'adding an app with a workload identity and a host adds its federated credential, role assignment, DNS record and certificate host on %s',
    (cluster) => {
      const old = read(before.root, cluster);
      const now = read(after.root, cluster);
      const subject = 'system:serviceaccount:ledger-api:ledger-api';
      expect(old.federatedCredentials.some((f) => f.subject === subject)).toBe(false);
      const fc = now.federatedCredentials.filter((f) => f.subject === subject);
      expect(fc).toHaveLength(1);
      expect(fc[0]).toMatchObject({
        clientId: '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a',
        audience: 'api://AzureADTokenExchange',
        for: 'app ledger-api',
      });
      expect(fc[0].issuer).toMatch(/^https:\/\/westeurope\.oic\.prod-aks\.azure\.com\//);

      const role = now.roleAssignments.filter(
        (r) => r.principal === 'identity 5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a (app ledger-api)',
      );
      expect(role).toEqual([
        expect.objectContaining({
          role: 'Key Vault Secrets User',
          scope: expect.stringMatching(new RegExp(`^Key Vault kv-${cluster} `)),
        }),
      ]);

      expect(old.dnsRecords.some((d) => d.host === 'ledger.contoso.com')).toBe(false);
      // One public record per host (behind Front Door also the same name in the private zone).
      const records = now.dnsRecords.filter((d) => d.host === 'ledger.contoso.com');
      expect(records.filter((d) => d.zone === 'public')).toEqual([expect.objectContaining({ apps: ['ledger-api'] })]);
      expect(records.every((d) => d.apps.join() === 'ledger-api')).toBe(true);
      expect(now.certificates[0].mustCover).toContain('ledger.contoso.com');

      // The new rows appear in the markdown too.
      const md = fs.readFileSync(path.join(after.root, 'clusters', cluster, 'azure', 'prerequisites.md'), 'utf8');
      expect(md).toContain(`\`${subject}\``);
      expect(md).toContain('| ledger.contoso.com |');
    },
  );

  it('on the AGC cluster: the association subnet is delegated to Microsoft.ServiceNetworking/trafficControllers and DNS points at the AGC frontend', () => {
    const p = read(before.root, 'aks-dev-weu');
    const agc = p.subnets.find((s) => s.role === 'Application Gateway for Containers association subnet');
    expect(agc).toMatchObject({ cidr: '10.10.5.0/24', delegation: 'Microsoft.ServiceNetworking/trafficControllers' });
    expect(
      p.dnsRecords.every(
        (d) =>
          d.type === 'CNAME' &&
          d.fillIn?.includes('Application Gateway for Containers frontend of Gateway edge-gateway/shared-gateway'),
      ),
    ).toBe(true);
    expect(p.roleAssignments.some((r) => r.role === 'AppGw for Containers Configuration Manager')).toBe(true);
  });

  it("federates the gateway TLS sync ServiceAccount that the baseline really creates, with the listener certificate's identity", () => {
    const p = read(before.root, 'aks-dev-weu');
    const platform = parseAllDocuments(
      fs.readFileSync(path.join(before.root, 'clusters/aks-dev-weu/platform/manifests.yaml'), 'utf8'),
    ).map((d) => d.toJS() as KubeObject);
    const federatedSas = platform.filter(
      (o) => o.kind === 'ServiceAccount' && o.metadata.annotations?.['azure.workload.identity/client-id'],
    );
    expect(federatedSas.length).toBeGreaterThan(0);
    for (const sa of federatedSas) {
      const row = p.federatedCredentials.find(
        (f) => f.subject === `system:serviceaccount:${sa.metadata.namespace}:${sa.metadata.name}`,
      );
      expect(row?.clientId).toBe(sa.metadata.annotations?.['azure.workload.identity/client-id']);
    }
  });

  it('every ServiceAccount with a workload identity in the generated manifests has its federated credential', () => {
    const p = read(after.root, 'aks-prod-weu');
    const dir = path.join(after.root, 'clusters/aks-prod-weu');
    for (const folder of fs.readdirSync(dir).filter((f) => f !== 'azure')) {
      const objs = parseAllDocuments(fs.readFileSync(path.join(dir, folder, 'manifests.yaml'), 'utf8')).map(
        (d) => d.toJS() as KubeObject,
      );
      for (const sa of objs.filter(
        (o) => o.kind === 'ServiceAccount' && o.metadata.annotations?.['azure.workload.identity/client-id'],
      )) {
        expect(p.federatedCredentials.map((f) => f.subject)).toContain(
          `system:serviceaccount:${sa.metadata.namespace}:${sa.metadata.name}`,
        );
      }
    }
  });

  it("on the AGIC cluster behind Front Door: the Application Gateway subnet, per host a public CNAME to Front Door with its _dnsauth TXT record and a private-zone A record to the App Gateway's private frontend, and the WAF policy with the hosts behind it", () => {
    const p = read(before.root, 'aks-prod-weu');
    expect(p.subnets[0]).toMatchObject({ role: 'Application Gateway subnet', cidr: '10.20.5.0/24' });
    expect(p.subnets[0].delegation).toBeUndefined();
    const hosts = [...new Set(p.dnsRecords.filter((d) => !d.host.startsWith('_dnsauth.')).map((d) => d.host))];
    expect(hosts.length).toBeGreaterThan(0);
    for (const host of hosts) {
      expect(
        p.dnsRecords.filter((d) => d.host === host || d.host === `_dnsauth.${host}`).map((d) => [d.zone, d.type]),
      ).toEqual([
        ['public', 'CNAME'],
        ['public', 'TXT'],
        ['private', 'A'],
      ]);
    }
    expect(p.dnsRecords.filter((d) => d.type === 'CNAME').every((d) => d.fillIn?.includes('Front Door endpoint'))).toBe(
      true,
    );
    expect(
      p.dnsRecords
        .filter((d) => d.type === 'A')
        .every((d) => d.fillIn?.includes("Application Gateway's private frontend IP")),
    ).toBe(true);
    expect(p.wafPolicies.map((w) => w.id)).toContain(
      '/subscriptions/00000000-0000-4000-8000-00000000f001/resourceGroups/rg-edge-weu/providers/Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies/waf-prod-weu',
    );
  });

  it('names the route that sends spoke egress through the firewall, and the firewall public IPs', () => {
    const p = read(before.root, 'aks-prod-weu');
    expect(p.routes).toEqual([
      expect.objectContaining({ addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance' }),
    ]);
    expect(p.routes[0].fillIn).toContain("the Azure Firewall's private IP in 10.0.1.0/26");
    expect(p.firewall.publicIps.map((i) => i.address)).toEqual(['203.0.113.20', '203.0.113.21']);
    expect(p.firewall.policyId).toBe(
      '/subscriptions/00000000-0000-4000-8000-0000000ab001/resourceGroups/rg-hub-weu/providers/Microsoft.Network/firewallPolicies/afwp-hub-weu',
    );
  });
});

import { synthesizeFleet } from '@aks-gitops/synth';
import { CLUSTERS } from '@aks-gitops/cluster-model';
import telemetryIngest from '@aks-gitops/telemetry-ingest';

const out = synthesizeFleet({ clusters: CLUSTERS, apps: [telemetryIngest] });
const find = (kind: string) =>
  out.documents.find((d) => d.file.startsWith('clusters/aks-prod-weu/telemetry-ingest/') && d.object.kind === kind)
    ?.object;

describe('telemetry-ingest', () => {
  it('serves UDP 514 and TCP 6514 on one internal Service, reachable only from the on-premises ranges', () => {
    const svc = find('Service');
    expect(svc?.spec).toMatchObject({
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      loadBalancerSourceRanges: ['192.168.0.0/20', '172.16.40.0/24'],
      ports: [
        { name: 'syslog-udp', port: 514, targetPort: 5514, protocol: 'UDP' },
        { name: 'syslog-tls', port: 6514, targetPort: 6514, protocol: 'TCP' },
      ],
    });
    expect(
      svc?.metadata.annotations?.['service.beta.kubernetes.io/azure-deny-all-except-load-balancer-source-ranges'],
    ).toBe('true');
  });

  it('admits the same ranges in its NetworkPolicy, on the container ports and protocols only', () => {
    expect((find('NetworkPolicy')?.spec as { ingress: unknown }).ingress).toEqual([
      {
        from: [{ ipBlock: { cidr: '192.168.0.0/20' } }, { ipBlock: { cidr: '172.16.40.0/24' } }],
        ports: [
          { port: 5514, protocol: 'UDP' },
          { port: 6514, protocol: 'TCP' },
        ],
      },
    ]);
  });

  it('has no DNAT rule: it is private', () => {
    const file = out.units.get('clusters/aks-prod-weu/azure')?.get('firewall-dnat.json') as string;
    expect(JSON.parse(file).body.properties.ruleCollections).toEqual([]);
  });
});

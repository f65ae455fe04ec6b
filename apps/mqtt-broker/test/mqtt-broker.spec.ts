import { synthesizeFleet } from '@aks-gitops/synth';
import { CLUSTERS } from '@aks-gitops/cluster-model';
import mqttBroker from '@aks-gitops/mqtt-broker';

const out = synthesizeFleet({ clusters: CLUSTERS, apps: [mqttBroker] });
const find = (cluster: string, kind: string, name = 'mqtt-broker') =>
  out.documents.find(
    (d) =>
      d.file.startsWith(`clusters/${cluster}/mqtt-broker/`) &&
      d.object.kind === kind &&
      d.object.metadata.name === name,
  )?.object;

describe('mqtt-broker', () => {
  it('listens on an internal load balancer: the 10th address of the ILB subnet, or the shared frontend its cluster assigns it to', () => {
    for (const cluster of CLUSTERS) {
      const shared = cluster.sharedFrontends?.find((f) => f.name === cluster.frontendAssignments?.['mqtt-broker']);
      const tenth = cluster.network.internalLoadBalancerSubnet.cidr.replace(/\.0\/\d+$/, '.10');
      const annotations = find(cluster.name, 'Service')?.metadata.annotations;
      expect(annotations?.['service.beta.kubernetes.io/azure-load-balancer-ipv4']).toBe(shared?.address ?? tenth);
      expect(annotations?.['service.beta.kubernetes.io/azure-load-balancer-internal']).toBe('true');
    }
    expect(
      find('aks-prod-weu', 'Service')?.metadata.annotations?.['service.beta.kubernetes.io/azure-load-balancer-ipv4'],
    ).toBe('10.20.4.10');
  });

  it('is published on the firewall: DNAT 203.0.113.20:8883 -> 10.20.4.10:8883 on prod', () => {
    const file = out.units.get('clusters/aks-prod-weu/azure')?.get('firewall-dnat.json') as string;
    const rule = JSON.parse(file).body.properties.ruleCollections[0].rules[0];
    expect(rule).toMatchObject({
      ruleType: 'NatRule',
      ipProtocols: ['TCP'],
      sourceAddresses: ['*'],
      destinationAddresses: ['203.0.113.20'],
      destinationPorts: ['8883'],
      translatedAddress: '10.20.4.10',
      translatedPort: '8883',
    });
  });

  it('admits only the AzureFirewallSubnet (the DNAT SNAT source) on 8883/TCP', () => {
    expect((find('aks-prod-weu', 'NetworkPolicy')?.spec as { ingress: unknown }).ingress).toEqual([
      { from: [{ ipBlock: { cidr: '10.0.1.0/26' } }], ports: [{ port: 8883, protocol: 'TCP' }] },
    ]);
  });

  it('keeps its data: a StatefulSet with a volume claim, never pruned by Flux', () => {
    const sts = find('aks-prod-weu', 'StatefulSet');
    expect(sts?.metadata.annotations?.['kustomize.toolkit.fluxcd.io/prune']).toBe('disabled');
    expect(
      (sts?.spec as { volumeClaimTemplates: Array<{ spec: unknown }> }).volumeClaimTemplates[0].spec,
    ).toMatchObject({ resources: { requests: { storage: '20Gi' } }, storageClassName: 'managed-csi-premium' });
  });
});

import {
  CLUSTERS,
  certificateCovers,
  clusterListenerCertificate,
  usesLocalDns,
  validateCluster,
} from '@aks-gitops/cluster-model';
import type { ClusterSpec } from '@aks-gitops/cluster-model';

/*
 * The network model, the AGC deployment and the listener certificates of a cluster spec: the
 * combinations AKS, AGIC and AGC document as unsupported are errors naming the field and the source.
 */

const dev = CLUSTERS.find((c) => c.name === 'aks-dev-weu') as ClusterSpec;
const prod = CLUSTERS.find((c) => c.name === 'aks-prod-weu') as ClusterSpec;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;
function edited(base: ClusterSpec, patch: (c: Loose) => void): ClusterSpec {
  const copy = JSON.parse(JSON.stringify(base)) as Loose;
  patch(copy);
  return copy as ClusterSpec;
}
const messages = (spec: ClusterSpec) => validateCluster(spec).map((e) => e.message);

describe('the example clusters declare their network model', () => {
  it('dev: Azure CNI Overlay with Cilium, AGC on an exactly-/24 association subnet; prod: Azure CNI pod subnet with Cilium, AGIC', () => {
    expect([dev.network.plugin, dev.networkPolicyEngine, dev.network.l7SourceCidr]).toEqual([
      'azure-cni-overlay',
      'cilium',
      '10.10.5.0/24',
    ]);
    expect([prod.network.plugin, prod.network.podSubnetCidr, prod.networkPolicyEngine]).toEqual([
      'azure-cni-pod-subnet',
      '10.20.64.0/18',
      'cilium',
    ]);
    expect(messages(dev)).toEqual([]);
    expect(messages(prod)).toEqual([]);
  });
});

describe('unsupported combinations are errors with their source', () => {
  it.each<[string, ClusterSpec, string]>([
    [
      'Cilium on kubenet',
      edited(prod, (c) => {
        c.network.plugin = 'kubenet';
        delete c.network.podSubnetCidr;
      }),
      'field networkPolicyEngine: "cilium" needs Azure CNI',
    ],
    [
      'Azure NPM on kubenet',
      edited(prod, (c) => {
        c.network.plugin = 'kubenet';
        delete c.network.podSubnetCidr;
        c.networkPolicyEngine = 'azure';
      }),
      'field networkPolicyEngine: "azure" (Azure Network Policy Manager) needs Azure CNI',
    ],
    [
      'AGC on kubenet',
      edited(dev, (c) => {
        c.network.plugin = 'kubenet';
        c.networkPolicyEngine = 'calico';
      }),
      'field network.plugin: "kubenet" is not supported by Application Gateway for Containers',
    ],
    [
      'AGC with Overlay on a /23 association subnet',
      edited(dev, (c) => (c.network.l7SourceCidr = '10.10.6.0/23')),
      'field network.l7SourceCidr: the AGC association subnet 10.10.6.0/23 is not a /24; with Azure CNI Overlay AGC needs exactly /24',
    ],
    [
      'AGC on a subnet smaller than /24',
      edited(dev, (c) => {
        c.network.plugin = 'azure-cni-node-subnet';
        c.network.l7SourceCidr = '10.10.5.0/25';
      }),
      'is smaller than /24',
    ],
    [
      'pod subnet mode without a pod subnet',
      edited(prod, (c) => delete c.network.podSubnetCidr),
      'field network.podSubnetCidr: undefined is not a CIDR',
    ],
    [
      'a pod subnet with another plugin',
      edited(dev, (c) => (c.network.podSubnetCidr = '10.10.64.0/18')),
      'field network.podSubnetCidr: is set but network.plugin is "azure-cni-overlay"',
    ],
    [
      'a pod subnet overlapping the ILB subnet',
      edited(prod, (c) => (c.network.podSubnetCidr = '10.20.0.0/16')),
      'overlaps the ILB subnet',
    ],
    [
      'an unknown plugin',
      edited(dev, (c) => (c.network.plugin = 'flannel')),
      'field network.plugin: "flannel" is not one of',
    ],
    ['no plugin', edited(dev, (c) => delete c.network.plugin), 'field network.plugin: is not set'],
  ])('%s', (_title, spec, expected) => {
    expect(messages(spec).join('\n')).toContain(expected);
  });

  it('names the documentation in the message', () => {
    const spec = edited(dev, (c) => {
      c.network.plugin = 'kubenet';
      c.networkPolicyEngine = 'calico';
    });
    expect(messages(spec).join('\n')).toContain(
      'learn.microsoft.com/azure/application-gateway/for-containers/container-networking',
    );
  });

  it('Calico on kubenet with AGIC is fine (AGIC supports kubenet; AKS supports Calico on kubenet)', () => {
    expect(
      messages(
        edited(prod, (c) => {
          c.network.plugin = 'kubenet';
          delete c.network.podSubnetCidr;
          c.networkPolicyEngine = 'calico';
        }),
      ),
    ).toEqual([]);
  });
});

describe('how Application Gateway for Containers is deployed', () => {
  it('is required for the azure-alb-external class', () => {
    expect(messages(edited(dev, (c) => delete c.l7.agc)).join('\n')).toContain(
      'field l7.agc: is not set, so nothing would program Application Gateway for Containers',
    );
  });

  it('managed: the association subnet is a subnet resource ID, the namespace is not a system one', () => {
    const errs = messages(
      edited(dev, (c) => {
        c.l7.agc.associationSubnetId = 'snet-agc';
        c.l7.agc.namespace = 'kube-system';
      }),
    ).join('\n');
    expect(errs).toContain('field l7.agc.associationSubnetId: "snet-agc" is not a subnet resource ID');
    expect(errs).toContain('field l7.agc.namespace: "kube-system" is a system namespace');
  });

  it('bring-your-own: an AGC resource ID and a frontend name', () => {
    const byo = edited(
      dev,
      (c) =>
        (c.l7.agc = {
          deployment: 'bring-your-own',
          resourceId:
            '/subscriptions/00000000-0000-4000-8000-00000000d001/resourceGroups/rg/providers/Microsoft.ServiceNetworking/trafficControllers/agc-dev',
          frontendName: 'fe-dev',
        }),
    );
    expect(messages(byo)).toEqual([]);
    const bad = edited(
      byo,
      (c) => (c.l7.agc.resourceId = '/subscriptions/x/providers/Microsoft.Network/applicationGateways/agw'),
    );
    expect(messages(bad).join('\n')).toContain('field l7.agc.resourceId');
  });

  it('an unknown deployment mode', () => {
    expect(messages(edited(dev, (c) => (c.l7.agc = { deployment: 'auto' }))).join('\n')).toContain(
      'field l7.agc.deployment: "auto" is not "managed" or "bring-your-own"',
    );
  });

  it('is not allowed for an in-cluster gateway, which may name an external WAF instead', () => {
    const istio = edited(dev, (c) => {
      c.l7.gatewayClassName = 'istio';
      delete c.l7.wafPolicyId;
    });
    expect(messages(istio).join('\n')).toContain('field l7.agc: is set but gatewayClassName is "istio"');
    const ok = edited(istio, (c) => {
      delete c.l7.agc;
      delete c.l7.backendCa;
      c.l7.externalWaf = { reason: 'Front Door WAF in front' };
    });
    expect(messages(ok)).toEqual([]);
    expect(messages(edited(dev, (c) => (c.l7.externalWaf = { reason: 'x' }))).join('\n')).toContain(
      'field l7.externalWaf: is set on Application Gateway for Containers',
    );
  });
});

describe('listener certificates list the DNS names they cover', () => {
  it('AGIC and AGC clusters name their certificate and its DNS names', () => {
    expect(clusterListenerCertificate(prod)).toEqual({ name: 'wildcard-contoso-com', dnsNames: ['*.contoso.com'] });
    expect(clusterListenerCertificate(dev)).toEqual({
      name: 'wildcard-dev-contoso-com',
      dnsNames: ['*.dev.contoso.com', '*.contoso.com'],
    });
  });

  it('an empty or invalid list is an error', () => {
    expect(messages(edited(prod, (c) => (c.l7.sslCertificateDnsNames = []))).join('\n')).toContain(
      'field l7.sslCertificateDnsNames',
    );
    expect(messages(edited(dev, (c) => (c.l7.tls.dnsNames = ['*.*.contoso.com']))).join('\n')).toContain(
      'field l7.tls.dnsNames',
    );
  });

  it.each<[string, string[], boolean]>([
    ['orders.contoso.com', ['orders.contoso.com'], true],
    ['ORDERS.contoso.com', ['orders.contoso.com'], true],
    ['orders.contoso.com', ['*.contoso.com'], true],
    ['contoso.com', ['*.contoso.com'], false],
    ['a.b.contoso.com', ['*.contoso.com'], false],
    ['orders.contoso.com.evil.org', ['*.contoso.com'], false],
    ['*.contoso.com', ['*.contoso.com'], true],
    ['*.dev.contoso.com', ['*.contoso.com'], false],
  ])('%s is covered by %j: %s (RFC 6125 6.4.3, one label per wildcard)', (host, names, covered) => {
    expect(certificateCovers(names, host)).toBe(covered);
  });
});

describe('AKS LocalDNS', () => {
  it('defaults to on from Kubernetes 1.37 (AKS applies mode Preferred by default) and off before', () => {
    const at = (v: string, localDns?: boolean) =>
      usesLocalDns({ kubernetesVersion: v, network: { ...dev.network, localDns } });
    expect([at('1.30'), at('1.36'), at('1.37'), at('1.39')]).toEqual([false, false, true, true]);
    expect([at('1.30', true), at('1.37', false)]).toEqual([true, false]);
  });
});

describe('l7.backendCa: the CA AGC verifies https pods against', () => {
  it('names a Key Vault certificate and the client ID of an identity that reads it', () => {
    expect(messages(edited(dev, (c) => (c.l7.backendCa = { certificateName: 'bad name!', clientId: 'nope' })))).toEqual(
      expect.arrayContaining([
        expect.stringContaining('field l7.backendCa.certificateName: "bad name!" is not a Key Vault certificate name'),
        expect.stringContaining('field l7.backendCa.clientId:'),
      ]),
    );
  });

  it('belongs to Application Gateway for Containers only', () => {
    const istio = edited(dev, (c) => {
      c.l7.gatewayClassName = 'istio';
      delete c.l7.wafPolicyId;
      delete c.l7.agc;
      c.l7.externalWaf = { reason: 'Front Door WAF in front' };
    });
    expect(messages(istio).join('\n')).toContain('field l7.backendCa: is set but gatewayClassName is "istio"');
  });
});

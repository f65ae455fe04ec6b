import type { ClusterSpec, SharedFrontendSpec } from '@aks-gitops/cluster-model';
import { AGC_GATEWAY_CLASS } from '@aks-gitops/cluster-model';
import { dnatGroupName, dnatRuleName } from '@aks-gitops/azure-edge';
import {
  type ClusterRegistry,
  GATEWAY_CLAIM_APP,
  type LoadBalancerClaim,
  privateLinkNatCidr,
} from '@aks-gitops/workloads';

import { frontendLines, oneLoadBalancer } from './topology-load-balancers';

export const TOPOLOGY_PAGE_FILE = 'topology.md';

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const cell = (s: string): string => s.replace(/\|/g, '\\|');

/**
 * `clusters/<cluster>/azure/topology.md`: for every way into the cluster, who the client is, which
 * Azure service receives the traffic, what filters it on the way and which pods it reaches; then
 * this cluster's own answer to "could one load balancer handle all of it?", derived from the apps
 * it runs. Built from the cluster spec and the registry's claims only (declared and replayed apps
 * alike), so it is the same whatever subset of apps a synth declared. Why each Azure behaviour
 * holds: docs/azure-facts.md, section "Front Door and shared frontends".
 */
export function topologyPage(cluster: ClusterSpec, registry: ClusterRegistry): string {
  const rows: string[][] = [];
  const net = cluster.network;
  const l7 = cluster.l7;
  const fd = cluster.frontDoor;

  // L7: one row per app workload (its hosts and paths together).
  const byWorkload = new Map<string, { app: string; workload: string; hosts: Map<string, string[]>; waf?: string }>();
  for (const r of registry.routes) {
    const key = `${r.app}/${r.workload}`;
    const entry = byWorkload.get(key) ?? {
      app: r.app,
      workload: r.workload,
      hosts: new Map<string, string[]>(),
      waf: r.wafPolicyId,
    };
    entry.hosts.set(r.host, [...(entry.hosts.get(r.host) ?? []), r.path]);
    byWorkload.set(key, entry);
  }
  const gatewayFrontend =
    l7.kind === 'gateway-api' && l7.frontend ? cluster.sharedFrontends?.find((f) => f.name === l7.frontend) : undefined;
  for (const key of [...byWorkload.keys()].sort(cmp)) {
    const w = byWorkload.get(key) as NonNullable<ReturnType<typeof byWorkload.get>>;
    const record = registry.workloads.get(key);
    const port = record?.ports[0];
    const hosts = [...w.hosts.keys()]
      .sort(cmp)
      .map((h) => `${h} ${[...(w.hosts.get(h) ?? [])].sort(cmp).join(', ')}`)
      .join('; ');
    const receivers: string[] = [];
    const filters: string[] = [];
    if (fd) {
      receivers.push(
        `Azure Front Door Premium \`${fd.profileName}\` (TLS, then HTTPS to the origin with certificate name check)`,
      );
      filters.push(`Front Door WAF policy \`${lastSegment(fd.wafPolicyId)}\``);
      receivers.push(
        fd.origin.kind === 'application-gateway'
          ? fd.origin.privateLinkServiceId !== undefined
            ? `Private Link Service \`${lastSegment(fd.origin.privateLinkServiceId)}\` of the App Gateway's private frontend`
            : `Private Link of App Gateway \`${lastSegment(fd.origin.applicationGatewayId ?? '')}\` frontend \`${fd.origin.frontendIpConfiguration}\``
          : `Private Link Service \`${gatewayFrontend?.privateLink?.name ?? fd.origin.frontend}\` of shared frontend \`${fd.origin.frontend}\``,
      );
    }
    const waf = w.waf ?? l7.wafPolicyId;
    let source: string;
    if (l7.kind === 'agic') {
      receivers.push(`Application Gateway WAF_v2 (AGIC, ${l7.usePrivateIp ? 'private' : 'public'} frontend)`);
      filters.push(
        waf
          ? `App Gateway WAF policy \`${lastSegment(waf)}\` (per path)`
          : 'no App Gateway WAF policy named (the gateway default applies)',
      );
      source = `${net.l7SourceCidr} (App Gateway subnet)`;
    } else if (l7.gatewayPodLabels) {
      if (gatewayFrontend)
        receivers.push(
          `internal load balancer ${gatewayFrontend.address}:443 (shared frontend \`${gatewayFrontend.name}\`)`,
        );
      receivers.push(
        `in-cluster gateway ${l7.gateway.namespace}/${l7.gateway.name} (${l7.gatewayClassName}, TLS terminated there)`,
      );
      source = `gateway pods ${Object.entries(l7.gatewayPodLabels)
        .map(([k, v]) => `${k}=${v}`)
        .join(',')} in ${l7.gateway.namespace}`;
    } else {
      receivers.push(
        `${l7.gatewayClassName === AGC_GATEWAY_CLASS ? 'Application Gateway for Containers' : `Gateway class ${l7.gatewayClassName}`} (Gateway ${l7.gateway.namespace}/${l7.gateway.name}, listener ${l7.gateway.listener})`,
      );
      if (waf && l7.gatewayClassName === AGC_GATEWAY_CLASS)
        filters.push(`AGC WAF policy \`${lastSegment(waf)}\` (WebApplicationFirewallPolicy on the HTTPRoute)`);
      source = `${net.l7SourceCidr} (AGC association subnet)`;
    }
    filters.push(`NetworkPolicy: from ${source}${port ? ` on TCP ${port.port}` : ''}`);
    rows.push([
      fd
        ? `Internet, HTTPS ${hosts}`
        : `${l7.kind === 'agic' && l7.usePrivateIp ? 'private networks' : 'Internet'}, HTTPS ${hosts}`,
      receivers.join(' → '),
      filters.join('; '),
      `${w.app}/${w.workload} pods${port ? `, TCP ${port.port} (${port.name})` : ''}`,
    ]);
  }

  // L4: one row per Service port; a second row for the Private Link path where there is one.
  const fwByKey = new Map(
    registry.firewallEndpoints.map((e) => [`${e.app}/${e.service}/${e.servicePort}/${e.protocol}`, e]),
  );
  const plsByIp = new Map(registry.privateLinks.map((p) => [p.ip, p]));
  const frontends = new Map((cluster.sharedFrontends ?? []).map((f) => [f.name, f]));
  const l4 = registry.loadBalancers
    .filter((l) => l.app !== GATEWAY_CLAIM_APP)
    .sort(
      (a, b) =>
        cmp(`${a.app}/${a.workload}`, `${b.app}/${b.workload}`) || a.port - b.port || cmp(a.protocol, b.protocol),
    );
  for (const l of l4) {
    const where = l.frontend
      ? `internal load balancer ${l.ip}:${l.port}/${l.protocol} (shared frontend \`${l.frontend}\`)`
      : `internal load balancer ${l.ip}:${l.port}/${l.protocol}`;
    const pods = `${l.app}/${l.workload} pods, ${l.protocol} ${l.targetPort ?? l.port}`;
    const nsg = `NSG (loadBalancerSourceRanges): ${(l.sourceRanges ?? []).join(', ')}`;
    const np = `NetworkPolicy: from ${(l.sourceRanges ?? []).join(', ')} on ${l.protocol} ${l.targetPort ?? l.port}`;
    const fw = fwByKey.get(`${l.app}/${l.workload}/${l.port}/${l.protocol}`);
    if (fw) {
      rows.push([
        `Internet, ${l.protocol} from ${fw.sourceAddresses.join(', ')}`,
        `Azure Firewall ${fw.firewallPublicIp}:${fw.firewallPort} (DNAT) → ${where}`,
        `firewall DNAT rule \`${dnatRuleName(fw.app, fw.service, fw.portName, fw.protocol)}\` in group \`${dnatGroupName(cluster.name)}\`; ${nsg}; ${np}`,
        pods,
      ]);
    } else {
      const clients = (l.sourceRanges ?? []).filter(
        (s) =>
          s !== privateLinkNatOf(cluster, l, frontends) &&
          !(plsByIp.has(l.ip) && s === net.internalLoadBalancerSubnet.cidr),
      );
      rows.push([`private networks ${clients.join(', ') || '(none)'}, ${l.protocol}`, where, `${nsg}; ${np}`, pods]);
    }
    const sharedPls = l.frontend ? frontends.get(l.frontend)?.privateLink : undefined;
    const ownPls = plsByIp.get(l.ip);
    if (sharedPls || ownPls) {
      const nat = privateLinkNatOf(cluster, l, frontends) ?? net.internalLoadBalancerSubnet.cidr;
      rows.push([
        `private endpoints in other networks, ${l.protocol}`,
        `Private Link Service${sharedPls ? ` \`${sharedPls.name}\`` : ''} (source NAT into ${nat}) → ${where}`,
        `PLS visibility and approval; NetworkPolicy: from ${nat} on ${l.protocol} ${l.targetPort ?? l.port}`,
        pods,
      ]);
    }
  }

  const table = [
    '| Client | Received by (Azure) | Filtered by | Reaches |',
    '| --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
  return [
    `# Topology of cluster ${cluster.name}`,
    '',
    'Generated by aks-gitops (npm run synth) from the cluster spec and the app declarations. Do not edit.',
    'Why each Azure behaviour holds: docs/azure-facts.md. The picture: traffic.md.',
    '',
    '## Entry points',
    '',
    ...(rows.length ? table : ['No app on this cluster receives traffic from outside it.']),
    '',
    '## Frontends',
    '',
    ...frontendLines(cluster, registry),
    '',
    '## Can one load balancer handle all of it?',
    '',
    ...oneLoadBalancer(cluster, registry, l4),
    '',
  ].join('\n');
}

function lastSegment(id: string): string {
  return id.split('/').pop() ?? id;
}

function privateLinkNatOf(
  cluster: ClusterSpec,
  l: LoadBalancerClaim,
  frontends: Map<string, SharedFrontendSpec>,
): string | undefined {
  const f = l.frontend ? frontends.get(l.frontend) : undefined;
  return f ? privateLinkNatCidr(cluster, f) : undefined;
}

import type { ClusterSpec, SharedFrontendSpec } from '@aks-gitops/cluster-model';
import { AGC_GATEWAY_CLASS } from '@aks-gitops/cluster-model';
import { dnatGroupName, dnatRuleName } from '@aks-gitops/azure-edge';
import {
  type ClusterRegistry,
  GATEWAY_CLAIM_APP,
  type LoadBalancerClaim,
  privateLinkNatCidr,
} from '@aks-gitops/workloads';

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

/** Which internal frontend IPs exist and who is on them. */
function frontendLines(cluster: ClusterSpec, registry: ClusterRegistry): string[] {
  const lines: string[] = [];
  const byIp = new Map<string, LoadBalancerClaim[]>();
  for (const l of registry.loadBalancers) byIp.set(l.ip, [...(byIp.get(l.ip) ?? []), l]);
  for (const f of cluster.sharedFrontends ?? []) {
    const members = byIp.get(f.address) ?? [];
    const pls = f.privateLink
      ? `, Private Link Service \`${f.privateLink.name}\` owned by ${f.privateLink.owner ?? 'the in-cluster gateway'}`
      : '';
    lines.push(
      `- shared frontend \`${f.name}\` ${f.address}${pls}: ${members.length ? members.map((m) => `${m.port}/${m.protocol} ${m.app}/${m.workload}`).join(', ') : 'no service joins it yet'}`,
    );
  }
  const shared = new Set((cluster.sharedFrontends ?? []).map((f) => f.address));
  for (const ip of [...byIp.keys()].filter((ip) => !shared.has(ip)).sort(cmp)) {
    const members = byIp.get(ip) ?? [];
    lines.push(
      `- dedicated frontend ${ip}: ${members.map((m) => `${m.port}/${m.protocol} ${m.app}/${m.workload}`).join(', ')}`,
    );
  }
  if (lines.length === 0) lines.push('- none: no L4 service and no in-cluster gateway on an internal load balancer');
  return lines;
}

/**
 * The answer for this cluster, from its flows: HTTP needs a WAF (App Gateway, AGC or Front Door),
 * which is a different Azure service from the cluster's load balancer; AGC and Front Door carry
 * HTTP only; UDP passes no L7 gateway; a frontend has at most one Private Link Service, which
 * every port on it shares; one IP takes each port and protocol once.
 */
function oneLoadBalancer(cluster: ClusterSpec, registry: ClusterRegistry, l4: readonly LoadBalancerClaim[]): string[] {
  const hosts = [...new Set(registry.routes.map((r) => r.host))].sort(cmp);
  const tcp = l4.filter((l) => l.protocol === 'TCP');
  const udp = l4.filter((l) => l.protocol === 'UDP');
  const name = (l: LoadBalancerClaim) => `${l.app}/${l.workload} ${l.port}/${l.protocol}`;
  const out: string[] = [];
  if (hosts.length === 0 && l4.length === 0)
    return ['Nothing enters this cluster from outside, so there is nothing to balance.'];
  if (hosts.length && l4.length) {
    out.push(
      `**No.** This cluster has HTTP APIs (${hosts.join(', ')}) and L4 ports (${l4.map(name).join(', ')}). The HTTP APIs need a WAF and TLS termination, which an Azure load balancer does not do; the L4 ports cannot go through the service that does:`,
    );
  } else if (hosts.length) {
    out.push(
      `**Only the L7 service.** Every flow is HTTP (${hosts.join(', ')}): one WAF entry (${cluster.frontDoor ? 'Front Door, then ' : ''}${cluster.l7.kind === 'agic' ? 'Application Gateway' : cluster.l7.gatewayPodLabels ? 'the in-cluster gateway' : 'Application Gateway for Containers'}) handles all of it; no Azure load balancer frontend is needed for them.`,
    );
  } else {
    const clash = portClashes(l4);
    out.push(
      clash.length === 0
        ? `**Yes.** Every flow is L4 (${l4.map(name).join(', ')}) and no port and protocol repeats, so one internal load balancer frontend could carry all of them (cloud-provider-azure shares one IP between Services on different ports).`
        : `**Not on one IP.** Every flow is L4, but ${clash.join('; ')} use the same port and protocol, which one frontend IP can carry only once.`,
    );
  }
  if (hosts.length) {
    if (cluster.l7.kind === 'agic')
      out.push(
        '- HTTP: Application Gateway WAF_v2 (AGIC) terminates TLS and applies the WAF; AGIC programs HTTP(S) listeners only, so no L4 port of this cluster can use it.',
      );
    else if (!cluster.l7.gatewayPodLabels)
      out.push(
        '- HTTP: Application Gateway for Containers carries HTTP, HTTP/2, gRPC and WebSockets only (no TCPRoute), so no L4 port of this cluster can use it.',
      );
    else
      out.push(
        `- HTTP: the in-cluster gateway (${cluster.l7.gatewayClassName}) has its own LoadBalancer Service on 443${cluster.l7.frontend ? `, on shared frontend \`${cluster.l7.frontend}\` with the L4 ports` : ''}; it applies no Azure WAF by itself.`,
      );
    if (cluster.frontDoor)
      out.push(
        '- Front Door Premium puts the WAF at the edge and reaches the cluster only through Private Link; it is an HTTP(S) service, so it cannot carry the L4 ports either.',
      );
  }
  if (udp.length)
    out.push(
      `- UDP (${udp.map(name).join(', ')}): no L7 gateway and not Front Door; only Azure Firewall DNAT and an internal load balancer carry it.`,
    );
  if (tcp.length && hosts.length)
    out.push(
      `- TCP (${tcp.map(name).join(', ')}): Azure Firewall DNAT (public) or an internal load balancer (private).`,
    );
  if (l4.length) {
    const clash = portClashes(l4);
    const sharedHint =
      clash.length === 0
        ? `- These L4 ports could all share one internal frontend IP: no port and protocol repeats${cluster.l7.kind === 'gateway-api' && cluster.l7.gatewayPodLabels ? ', and the in-cluster gateway could join it on 443' : ''}.`
        : `- They cannot all share one frontend IP: ${clash.join('; ')}.`;
    out.push(sharedHint);
    out.push(
      '- Every L4 Service here uses externalTrafficPolicy Local (pods see the real client, or the firewall or PLS NAT address) and no session affinity, so nothing else stops them sharing a frontend; each keeps its own NSG source ranges and NetworkPolicy.',
    );
    const plsFrontends = (cluster.sharedFrontends ?? []).filter((f) => f.privateLink);
    const ownPls = registry.privateLinks.map((p) => `${p.app}/${p.workload}`).sort(cmp);
    if (plsFrontends.length || ownPls.length) {
      out.push(
        `- A frontend has at most one Private Link Service, and a private endpoint to it reaches every port on that frontend: ${[...plsFrontends.map((f) => `shared frontend \`${f.name}\` (PLS \`${f.privateLink?.name}\`)`), ...ownPls.map((w) => `${w}'s own frontend`)].join(', ')}. Services that must not be offered to Private Link consumers stay off those frontends.`,
      );
    }
  }
  return out;
}

function portClashes(l4: readonly LoadBalancerClaim[]): string[] {
  const byKey = new Map<string, string[]>();
  for (const l of l4)
    byKey.set(`${l.port}/${l.protocol}`, [...(byKey.get(`${l.port}/${l.protocol}`) ?? []), `${l.app}/${l.workload}`]);
  return [...byKey.entries()]
    .filter(([, ws]) => new Set(ws).size > 1)
    .sort(([a], [b]) => cmp(a, b))
    .map(([k, ws]) => `${[...new Set(ws)].join(' and ')} (${k})`);
}

import type { ClusterSpec } from '@aks-gitops/cluster-model';
import type { ClusterRegistry, LoadBalancerClaim } from '@aks-gitops/workloads';

/**
 * The load balancer sections of topology.md (topology-page.ts): which internal frontend IPs exist
 * and who is on them, and this cluster's own answer to "could one load balancer handle all of it?".
 */

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Which internal frontend IPs exist and who is on them. */
export function frontendLines(cluster: ClusterSpec, registry: ClusterRegistry): string[] {
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
export function oneLoadBalancer(
  cluster: ClusterSpec,
  registry: ClusterRegistry,
  l4: readonly LoadBalancerClaim[],
): string[] {
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

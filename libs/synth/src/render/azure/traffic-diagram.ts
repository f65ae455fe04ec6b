import type { ClusterSpec } from '@aks-gitops/cluster-model';
import type { ClusterRegistry } from '@aks-gitops/workloads';

export const TRAFFIC_DIAGRAM_FILE = 'traffic.md';

/**
 * Mermaid refuses a diagram over 50,000 characters (its default `maxTextSize`; GitHub renders
 * with the default). Pages are filled up to this budget, leaving room for the shared nodes.
 */
export const MERMAID_MAX_TEXT = 50_000;
const PAGE_BUDGET = 40_000;
/** Source lists longer than this are cut in a label (the index table lists them all). */
const LABEL_SOURCES = 4;

/** Code-unit order: independent of the machine's locale and ICU version. */
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const id = (s: string): string => 'n_' + s.replace(/[^A-Za-z0-9]/g, '_');
const q = (s: string): string => s.replace(/"/g, '#quot;');
const sourcesLabel = (sources: readonly string[]): string =>
  sources.length <= LABEL_SOURCES
    ? sources.join(', ')
    : `${sources.slice(0, LABEL_SOURCES).join(', ')} +${sources.length - LABEL_SOURCES} more`;

/** Every way into and out of one app on one cluster, as lines of a diagram and rows of the index. */
interface AppTraffic {
  readonly app: string;
  readonly workloads: string[];
  /** Edges into the app: [from node key, label, workload key]. */
  readonly entries: { from: 'waf' | 'private' | `fw/${string}`; label: string; to: string; row: string }[];
  readonly calls: { from: string; to: string; toApp: string }[];
  readonly egress: { from: string; destination: string; label: string }[];
}

function appTraffic(registry: ClusterRegistry): Map<string, AppTraffic> {
  const apps = new Map<string, AppTraffic>();
  const of = (app: string): AppTraffic => {
    let t = apps.get(app);
    if (!t) apps.set(app, (t = { app, workloads: [], entries: [], calls: [], egress: [] }));
    return t;
  };
  for (const w of registry.workloads.values()) of(w.app).workloads.push(`${w.app}/${w.name}`);
  for (const r of registry.routes) {
    of(r.app).entries.push({
      from: 'waf',
      label: `${r.host}${r.path}`,
      to: `${r.app}/${r.workload}`,
      row: `HTTPS ${r.host}${r.path} through the WAF`,
    });
  }
  const publicKeys = new Set<string>();
  for (const e of registry.firewallEndpoints) {
    publicKeys.add(`${e.ilbIp}:${e.servicePort}/${e.protocol}`);
    of(e.app).entries.push({
      from: `fw/${e.firewallPublicIp}`,
      label: `${e.protocol} ${e.firewallPort} from ${sourcesLabel(e.sourceAddresses)} DNAT ${e.ilbIp}:${e.servicePort}`,
      to: `${e.app}/${e.service}`,
      row: `${e.protocol} ${e.firewallPublicIp}:${e.firewallPort} (Azure Firewall DNAT to ${e.ilbIp}:${e.servicePort}) from ${e.sourceAddresses.join(', ')}`,
    });
  }
  for (const l of registry.loadBalancers) {
    if (publicKeys.has(`${l.ip}:${l.port}/${l.protocol}`)) continue;
    const sources = l.sourceRanges ?? [];
    of(l.app).entries.push({
      from: 'private',
      label: `${l.protocol} ${l.ip}:${l.port} from ${sources.length ? sourcesLabel(sources) : 'the VNet'}`,
      to: `${l.app}/${l.workload}`,
      row: `${l.protocol} ${l.ip}:${l.port} (internal load balancer) from ${sources.length ? sources.join(', ') : 'the VNet'}`,
    });
  }
  for (const c of registry.calls) {
    const target = registry.workloadsOf(c.targetApp).find((w) => !c.targetWorkload || w.name === c.targetWorkload);
    if (target)
      of(c.caller.app).calls.push({
        from: `${c.caller.app}/${c.caller.name}`,
        to: `${target.app}/${target.name}`,
        toApp: target.app,
      });
  }
  for (const e of registry.egress)
    of(e.app).egress.push({ from: `${e.app}/${e.workload}`, destination: e.destination, label: e.ports.join(', ') });
  for (const t of apps.values()) {
    t.workloads.sort(cmp);
    t.entries.sort((a, b) => cmp(`${a.to} ${a.from} ${a.label}`, `${b.to} ${b.from} ${b.label}`));
    t.calls.sort((a, b) => cmp(`${a.from} ${a.to}`, `${b.from} ${b.to}`));
    t.egress.sort((a, b) => cmp(`${a.from} ${a.destination} ${a.label}`, `${b.from} ${b.destination} ${b.label}`));
  }
  return apps;
}

/** The Mermaid text of a set of apps: shared entry nodes first, the apps in a subgraph, then edges. */
function diagram(
  cluster: ClusterSpec,
  apps: readonly AppTraffic[],
  pageOf: ReadonlyMap<string, string>,
  page: string,
): string {
  const front =
    cluster.l7.kind === 'agic'
      ? 'Application Gateway WAF_v2 (AGIC)'
      : `Gateway ${cluster.l7.gateway.namespace}/${cluster.l7.gateway.name} (${cluster.l7.gatewayClassName})`;
  const head: string[] = ['flowchart LR'];
  const nodes: string[] = [`  subgraph ${id(cluster.name)}["cluster ${cluster.name}"]`];
  const edges: string[] = [];
  const entries = apps.flatMap((a) => a.entries);
  if (entries.some((e) => e.from !== 'private')) head.push('  internet((Internet))');
  if (entries.some((e) => e.from === 'waf')) {
    head.push(`  waf["${q(front)}"]`);
    edges.push('  internet -->|HTTPS| waf');
  }
  for (const ip of [...new Set(entries.filter((e) => e.from.startsWith('fw/')).map((e) => e.from.slice(3)))].sort(
    cmp,
  )) {
    head.push(`  ${id(`fw/${ip}`)}["Azure Firewall ${ip}"]`);
    edges.push(`  internet --> ${id(`fw/${ip}`)}`);
  }
  if (entries.some((e) => e.from === 'private')) head.push('  private(("private networks"))');
  const local = new Set(apps.flatMap((a) => a.workloads));
  for (const w of [...local].sort(cmp)) nodes.push(`    ${id(w)}["${w}"]`);
  nodes.push('  end');
  const elsewhere = new Set<string>();
  const destinations = new Set<string>();
  for (const a of apps) {
    for (const e of a.entries)
      edges.push(
        `  ${e.from === 'waf' || e.from === 'private' ? e.from : id(e.from)} -->|"${q(e.label)}"| ${id(e.to)}`,
      );
    for (const c of a.calls) {
      if (!local.has(c.to)) elsewhere.add(c.to);
      edges.push(`  ${id(c.from)} -.->|calls| ${id(c.to)}`);
    }
    for (const e of a.egress) {
      destinations.add(e.destination);
      edges.push(`  ${id(e.from)} -->|"${q(e.label)}"| ${id(`egress/${e.destination}`)}`);
    }
  }
  for (const w of [...elsewhere].sort(cmp)) {
    const where = pageOf.get(w.split('/')[0]);
    head.push(`  ${id(w)}["${w}${where && where !== page ? ` (${where})` : ''}"]`);
  }
  for (const d of [...destinations].sort(cmp)) head.push(`  ${id(`egress/${d}`)}{{"egress to ${q(d)}"}}`);
  return [...head, ...nodes, ...edges].join('\n');
}

const fence = (mermaid: string): string[] => ['```mermaid', mermaid, '```'];

/**
 * The traffic map of one cluster, next to its Azure edge config: for every workload, who may
 * connect (WAF hosts and paths, firewall DNAT with its source addresses, internal load balancers
 * with their source ranges), the calls between apps, and each workload's egress. Derived from the
 * same declarations as the manifests, so reviewers see the network change a pull request makes.
 *
 * A small fleet gets one diagram in `traffic.md`. When the diagram would pass Mermaid's limit,
 * apps (in name order) are laid out on pages `traffic-NN.md`, each diagram under the limit, and
 * `traffic.md` becomes the index: which page shows which apps, and a table of every entry.
 */
export function trafficMap(cluster: ClusterSpec, registry: ClusterRegistry): Map<string, string> {
  const traffic = [...appTraffic(registry).values()].sort((a, b) => cmp(a.app, b.app));
  const title = `# Traffic into cluster ${cluster.name}`;
  const generated = 'Generated by aks-gitops (npm run synth) from the app declarations. Do not edit.';
  const whole = diagram(cluster, traffic, new Map(), '');
  if (whole.length <= PAGE_BUDGET)
    return new Map([[TRAFFIC_DIAGRAM_FILE, [title, '', generated, '', ...fence(whole), ''].join('\n')]]);

  // Pages filled in app order; an app is never split across pages.
  // An app's share of a page is its own diagram less the empty diagram's frame; shared nodes
  // (firewall IPs, egress destinations) are counted with every app that uses them, so the sum
  // over-estimates and a page never passes the budget. Checked below anyway.
  const frame = diagram(cluster, [], new Map(), '').length;
  const pages: AppTraffic[][] = [[]];
  let used = frame;
  for (const t of traffic) {
    const size = diagram(cluster, [t], new Map(), '').length - frame + 200; // + the page suffix of called apps on other pages
    const current = pages[pages.length - 1];
    if (current.length && used + size > PAGE_BUDGET) {
      pages.push([t]);
      used = frame + size;
    } else {
      current.push(t);
      used += size;
    }
  }
  const width = String(pages.length).length < 2 ? 2 : String(pages.length).length;
  const pageName = (i: number) => `traffic-${String(i + 1).padStart(width, '0')}.md`;
  const pageOf = new Map<string, string>();
  pages.forEach((p, i) => p.forEach((t) => pageOf.set(t.app, pageName(i))));
  const files = new Map<string, string>();
  const index = [
    title,
    '',
    generated,
    '',
    `${traffic.length} apps on ${pages.length} pages (one Mermaid diagram each, under Mermaid's 50,000-character limit).`,
    '',
    '| page | apps |',
    '| --- | --- |',
  ];
  pages.forEach((p, i) => {
    const name = pageName(i);
    index.push(`| [${name}](${name}) | ${p[0].app} … ${p[p.length - 1].app} (${p.length}) |`);
    const text = diagram(cluster, p, pageOf, name);
    if (text.length > MERMAID_MAX_TEXT)
      throw new Error(`internal: ${name} of ${cluster.name} holds ${text.length} characters of Mermaid`);
    files.set(
      name,
      [
        `# Traffic into cluster ${cluster.name}, page ${i + 1} of ${pages.length}`,
        '',
        `${generated} Index: [${TRAFFIC_DIAGRAM_FILE}](${TRAFFIC_DIAGRAM_FILE}).`,
        '',
        ...fence(text),
        '',
      ].join('\n'),
    );
  });
  index.push('', '## Who may connect', '', '| app | workload | entry | page |', '| --- | --- | --- | --- |');
  for (const t of traffic)
    for (const e of t.entries)
      index.push(`| ${t.app} | ${e.to.split('/')[1]} | ${e.row} | [${pageOf.get(t.app)}](${pageOf.get(t.app)}) |`);
  index.push('', '## Egress', '', '| app | workload | to | ports |', '| --- | --- | --- | --- |');
  for (const t of traffic) {
    for (const c of t.calls) index.push(`| ${t.app} | ${c.from.split('/')[1]} | app ${c.to} | its ports |`);
    for (const e of t.egress) index.push(`| ${t.app} | ${e.from.split('/')[1]} | ${e.destination} | ${e.label} |`);
  }
  files.set(TRAFFIC_DIAGRAM_FILE, index.join('\n') + '\n');
  return files;
}

/** The single-file form (small fleets): the text of `traffic.md`. */
export function trafficDiagram(cluster: ClusterSpec, registry: ClusterRegistry): string {
  return trafficMap(cluster, registry).get(TRAFFIC_DIAGRAM_FILE)!;
}

import {
  type ClusterPlan,
  FirewallDnatRules,
  MARKDOWN_MAX_CHARS,
  diffFirewallDnat,
  planMarkdown,
} from '@aks-gitops/azure-edge';
import { GROUP_PATH, POLICY_ID, cluster, endpoint } from './support/fixtures';

/** A plan that creates a group with `n` public ports. */
function bigPlan(n: number): ClusterPlan {
  const endpoints = Array.from({ length: n }, (_, i) =>
    endpoint({
      service: `svc${i}`,
      firewallPort: 10000 + i,
      ilbIp: `10.30.4.${10 + (i % 200)}`,
      servicePort: 10000 + i,
    }),
  );
  const dnat = FirewallDnatRules.build(cluster, endpoints);
  return {
    cluster: cluster.name,
    file: dnat.file,
    policyId: POLICY_ID,
    resourceId: GROUP_PATH,
    group: dnat.target.name,
    exists: false,
    diff: diffFirewallDnat(dnat.group, undefined),
  };
}

describe('planMarkdown', () => {
  it('stays under the GitHub comment limit however many rules change, and says how many lines it left out', () => {
    const md = planMarkdown([bigPlan(2000)]);
    expect(md.length).toBeLessThanOrEqual(MARKDOWN_MAX_CHARS);
    expect(MARKDOWN_MAX_CHARS).toBeLessThan(65536);
    expect(md).toMatch(
      /\n_\d+ more line\(s\) not shown to keep this comment under 60000 characters; run `npm run edge -- plan` for all of them\._\n$/,
    );
    expect(md).toContain('| aks-test-weu |');
  });

  it('shows everything when it fits', () => {
    const md = planMarkdown([bigPlan(3)]);
    expect(md).not.toContain('not shown');
    expect(md.match(/^\| add \|/gm)).toHaveLength(3);
  });

  it('holds to a smaller bound too', () => {
    const md = planMarkdown([bigPlan(50)], 2000);
    expect(md.length).toBeLessThanOrEqual(2000);
    expect(md).toContain('not shown');
  });
});

/**
 * A generated fleet of many small apps, big enough that a synth spends measurable time writing
 * (hundreds of folders), for the crash-safety test.
 */
const pad = (i: number): string => String(i).padStart(3, '0');

export function bigAppName(i: number): string {
  return `app-${pad(i)}`;
}

/** Deploy bodies (see `appSource`) of `count` apps; `replicas` is what the crash test changes. */
export function bigFleetApps(count: number, replicas: number): Record<string, string> {
  const apps: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    const name = bigAppName(i);
    if (i % 5 === 0) {
      const volumes = i % 10 === 0 ? `\n      volumes: [{ name: 'data', mountPath: '/data', size: '1Gi' }],` : '';
      apps[name] = `    new L4Service(scope, 'svc', {
      image: IMG('${name}'),
      ports: [{ name: 'tcp', port: 9000 }],
      exposure: { mode: 'private', allowedSources: ['192.168.0.0/16'] },
      address: { offset: ${30 + i / 5} },
      replicas: ${replicas},${volumes}
    });`;
    } else {
      const calls = i % 7 === 3 && (i - 1) % 5 !== 0 ? `\n      calls: ['${bigAppName(i - 1)}'],` : '';
      // The callee's consent: app i + 1 calls this one under the rule above.
      const accepts =
        i + 1 < count && (i + 1) % 7 === 3 && (i + 1) % 5 !== 0
          ? `\n      acceptCallsFrom: ['${bigAppName(i + 1)}'],`
          : '';
      apps[name] = `    new L7Api(scope, 'api', {
      image: IMG('${name}'),
      port: 8080,
      routes: [{ host: '${name}.example.com' }],
      replicas: ${replicas},${calls}${accepts}
    });`;
    }
  }
  return apps;
}

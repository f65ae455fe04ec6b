/**
 * Props are checked like types: an app written in plain JavaScript, cast through `any`, or built
 * from spread objects can still pass a key no construct reads (`replica: 3`, `routes[0].hots`), and
 * such a typo would otherwise be silently ignored. Each public construct checks its props against
 * the shape below first, and an unknown key is a synth error naming the prop path and the closest
 * valid name.
 *
 * The shapes are written out here and held to the props interfaces by a test that derives them from
 * the TypeScript types with the compiler API (libs/workloads/test/known-props.spec.ts): adding a prop
 * to an interface without adding it here fails that test, so the list cannot be forgotten.
 */
import type { FieldErrors } from './errors';

/**
 * `leaf`: a value not looked into (strings, numbers, string lists); `free`: an object whose keys
 * the user chooses (`env`, `config`); otherwise the known keys of an object. Arrays are checked
 * element by element against the shape of their elements; unions merge their members' keys.
 */
export type PropShape = 'leaf' | 'free' | { readonly [key: string]: PropShape };

const PROBE_ACTION: PropShape = {
  http: { path: 'leaf', port: 'leaf', scheme: 'leaf' },
  tcp: { port: 'leaf' },
  exec: { command: 'leaf' },
  grpc: { port: 'leaf', service: 'leaf' },
};

/** WorkloadProps: what every workload shares. */
const WORKLOAD_PROPS: { readonly [key: string]: PropShape } = {
  name: 'leaf',
  image: 'leaf',
  command: 'leaf',
  args: 'leaf',
  replicas: 'leaf',
  autoscaling: { minReplicas: 'leaf', maxReplicas: 'leaf', targetCpuUtilization: 'leaf' },
  resources: { cpu: 'leaf', memory: 'leaf', memoryLimit: 'leaf', cpuLimit: 'leaf' },
  env: 'free',
  config: 'free',
  keyVaultSecrets: 'leaf',
  workloadIdentity: { clientId: 'leaf' },
  calls: { app: 'leaf', workload: 'leaf', ports: 'leaf' },
  acceptCallsFrom: 'leaf',
  egress: { cidr: 'leaf', ports: { port: 'leaf', protocol: 'leaf' }, reason: 'leaf' },
  runAsUser: 'leaf',
  writableRootFilesystem: { reason: 'leaf' },
  shutdown: { preStopSeconds: 'leaf', drainSeconds: 'leaf', reason: 'leaf', preStopCommand: 'leaf' },
};

/** L7ApiProps. */
export const L7_API_PROPS: PropShape = {
  ...WORKLOAD_PROPS,
  port: 'leaf',
  routes: { host: 'leaf', paths: 'leaf' },
  health: { readinessPath: 'leaf', livenessPath: 'leaf', startupPath: 'leaf' },
  backendProtocol: 'leaf',
  backendServerName: 'leaf',
  certificate: { name: 'leaf', dnsNames: 'leaf' },
  wafPolicyId: 'leaf',
};

/** L4ServiceProps. */
export const L4_SERVICE_PROPS: PropShape = {
  ...WORKLOAD_PROPS,
  ports: {
    name: 'leaf',
    port: 'leaf',
    targetPort: 'leaf',
    protocol: 'leaf',
    firewallPort: 'leaf',
    loadBalancerProbe: 'leaf',
  },
  exposure: { mode: 'leaf', allowedSources: 'leaf', sourceAddresses: 'leaf', firewallPublicIp: 'leaf' },
  address: { offset: 'leaf' },
  frontend: 'leaf',
  health: { readiness: PROBE_ACTION, liveness: PROBE_ACTION, startup: PROBE_ACTION },
  volumes: { name: 'leaf', mountPath: 'leaf', size: 'leaf', storageClassName: 'leaf' },
  tcpIdleTimeoutMinutes: 'leaf',
  privateLink: { visibility: 'leaf', autoApproval: 'leaf' },
};

export interface UnknownProp {
  /** Path of the unknown key from the props root, e.g. `routes[0].hots`. */
  readonly path: string;
  readonly key: string;
  /** The known keys at that place, closest (by edit distance) first. */
  readonly known: readonly string[];
}

/** The first key (in the object's own order, depth first) that the shape does not know. */
export function findUnknownProp(value: unknown, shape: PropShape, at = ''): UnknownProp | undefined {
  if (shape === 'leaf' || shape === 'free' || value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnknownProp(value[i], shape, `${at}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    const path = at ? `${at}.${key}` : key;
    const inner = Object.prototype.hasOwnProperty.call(shape, key) ? shape[key] : undefined;
    if (inner === undefined) {
      const known = Object.keys(shape).sort((a, b) => editDistance(key, a) - editDistance(key, b) || (a < b ? -1 : 1));
      return { path, key, known };
    }
    const found = findUnknownProp((value as Record<string, unknown>)[key], inner, path);
    if (found) return found;
  }
  return undefined;
}

/** Levenshtein distance, case-insensitive (`Replicas` is one step from `replicas`, not zero). */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++)
      row.push(Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[y.length] + (a !== b && x === y ? 1 : 0);
}

/** The problem and fix of an unknown prop, for FieldErrors. */
export function describeUnknownProp(construct: string, u: UnknownProp): { problem: string; fix: string } {
  const [closest, ...rest] = u.known;
  return {
    problem: `is not a prop of ${construct}${closest === undefined ? '' : `; did you mean "${closest}"?`}`,
    fix:
      closest === undefined
        ? `remove "${u.key}"`
        : `rename "${u.key}" to "${closest}", or remove it (known here: ${[closest, ...rest].join(', ')})`,
  };
}

/** Throws the ConfigError (app, cluster, prop path, closest valid name) for the first unknown prop. */
export function rejectUnknownProps(construct: string, props: unknown, shape: PropShape, errs: FieldErrors): void {
  const unknown = findUnknownProp(props, shape);
  if (!unknown) return;
  const { problem, fix } = describeUnknownProp(construct, unknown);
  throw errs.error(unknown.path, problem, fix);
}

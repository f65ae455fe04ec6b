import { k8s } from 'cdk8s-plus-28';

/** How the kubelet checks a container. HTTP for APIs; TCP, exec or gRPC for L4 protocols. */
export type ProbeAction =
  | {
      readonly http: {
        readonly path: string;
        /**
         * The port to probe.
         * @default the first TCP container port
         */
        readonly port?: number;
        /**
         * The scheme the kubelet probes with.
         * @default "HTTP"
         */
        readonly scheme?: 'HTTP' | 'HTTPS';
      };
    }
  | { readonly tcp: { readonly port: number } }
  | { readonly exec: { readonly command: readonly string[] } }
  | {
      readonly grpc: {
        readonly port: number;
        /**
         * The gRPC health service name.
         * @default "" (the server's overall health)
         */
        readonly service?: string;
      };
    };

export interface ProbeTiming {
  readonly periodSeconds: number;
  readonly failureThreshold: number;
  readonly initialDelaySeconds?: number;
}

export const READINESS_TIMING: ProbeTiming = { periodSeconds: 5, failureThreshold: 3 };
export const LIVENESS_TIMING: ProbeTiming = { periodSeconds: 10, failureThreshold: 3 };
/** Startup gets 5 minutes before liveness takes over, so slow starters are not killed. */
export const STARTUP_TIMING: ProbeTiming = { periodSeconds: 5, failureThreshold: 60 };

export function toK8sProbe(action: ProbeAction, defaultPort: number, timing: ProbeTiming): k8s.Probe {
  const base = {
    periodSeconds: timing.periodSeconds,
    failureThreshold: timing.failureThreshold,
    timeoutSeconds: 2,
    ...(timing.initialDelaySeconds ? { initialDelaySeconds: timing.initialDelaySeconds } : {}),
  };
  if ('http' in action) {
    return {
      ...base,
      httpGet: {
        path: action.http.path,
        port: k8s.IntOrString.fromNumber(action.http.port ?? defaultPort),
        scheme: action.http.scheme ?? 'HTTP',
      },
    };
  }
  if ('tcp' in action) return { ...base, tcpSocket: { port: k8s.IntOrString.fromNumber(action.tcp.port) } };
  if ('exec' in action) return { ...base, exec: { command: [...action.exec.command] } };
  return {
    ...base,
    grpc: { port: action.grpc.port, ...(action.grpc.service ? { service: action.grpc.service } : {}) },
  };
}

/**
 * Checks a probe and returns a problem sentence, or undefined. A probe may target a port that is
 * not published (a health port the kubelet reaches from the node, e.g. beside a UDP-only service),
 * but never a port the container declares as UDP only: TCP, HTTP and gRPC cannot check it.
 */
export function probeProblem(
  action: ProbeAction | undefined,
  tcpPorts: readonly number[],
  udpPorts: readonly number[] = [],
): string | undefined {
  if (!action || typeof action !== 'object') return `${JSON.stringify(action)} is not a probe`;
  const udpOnly = (port: number) => udpPorts.includes(port) && !tcpPorts.includes(port);
  const portProblem = (kind: string, port: unknown): string | undefined => {
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535)
      return `${kind} probe port ${JSON.stringify(port)} is not a port number (1-65535)`;
    if (udpOnly(port))
      return `${kind} probe port ${port} is a UDP port of the container; a ${kind} probe cannot check UDP`;
    return undefined;
  };
  if ('http' in action) {
    if (typeof action.http.path !== 'string' || !action.http.path.startsWith('/'))
      return `HTTP probe path ${JSON.stringify(action.http.path)} does not start with "/"`;
    // Without a port the probe targets the first TCP port; with none it would probe port 0.
    if (action.http.port === undefined)
      return tcpPorts.length === 0
        ? 'HTTP probe has no port and the container has no TCP port to default to'
        : undefined;
    return portProblem('HTTP', action.http.port);
  }
  if ('tcp' in action) return portProblem('TCP', action.tcp.port);
  if ('exec' in action) {
    if (!Array.isArray(action.exec.command) || action.exec.command.length === 0)
      return 'exec probe has an empty command';
    return undefined;
  }
  if ('grpc' in action) return portProblem('gRPC', action.grpc.port);
  return `${JSON.stringify(action)} is not one of { http }, { tcp }, { exec }, { grpc }`;
}

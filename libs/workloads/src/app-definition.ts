import type { ClusterSpec } from '@aks-gitops/cluster-model';
import { ConfigError, dnsLabelProblem, ownerProblem } from '@aks-gitops/cluster-model';
import type { AppChart } from './app-chart';

/** What an app's `deploy` function receives for each cluster. */
export interface AppContext {
  /** The cluster being synthesized. */
  readonly cluster: ClusterSpec;
  /** The scope to create L7Api / L4Service constructs in. */
  readonly scope: AppChart;
  /** The app's name, which is also its namespace. */
  readonly app: string;
}

export interface AppDefinitionProps {
  /** The app name: its Nx project, its folder under `clusters/<cluster>/`, and its namespace. */
  readonly name: string;
  /**
   * Declares the app's workloads for one cluster. Return without creating anything to skip a
   * cluster. Called once per cluster in every synth; keep it free of I/O and randomness.
   */
  readonly deploy: (ctx: AppContext) => void;
  /**
   * Who reviews changes to this app: GitHub users (`@name`), teams (`@org/team`) or emails. They
   * own `apps/<name>/` and every folder synth generates for the app in the generated
   * `.github/CODEOWNERS`.
   * @default [] (the platform team, PLATFORM_OWNERS, reviews it)
   */
  readonly owners?: readonly string[];
}

export interface AppDefinition extends AppDefinitionProps {
  readonly kind: 'aks-gitops/app';
}

/** Declares an app. The default export of `apps/<name>/src/index.ts` must be one of these. */
export function defineApp(props: AppDefinitionProps): AppDefinition {
  const problem = dnsLabelProblem(props?.name, 40);
  if (problem) {
    throw new ConfigError({
      app: String(props?.name),
      field: 'name',
      problem,
      fix: 'name the app with a lowercase DNS label of at most 40 characters, the same as its folder under apps/',
    });
  }
  if (typeof props.deploy !== 'function') {
    throw new ConfigError({
      app: props.name,
      field: 'deploy',
      problem: 'is not a function',
      fix: 'pass deploy: (ctx) => { new L7Api(ctx.scope, ...) }',
    });
  }
  if (props.owners !== undefined && !Array.isArray(props.owners)) {
    throw new ConfigError({
      app: props.name,
      field: 'owners',
      problem: 'is not a list',
      fix: "pass owners: ['@org/team']",
    });
  }
  for (const [i, owner] of (props.owners ?? []).entries()) {
    const problem = ownerProblem(owner);
    if (problem)
      throw new ConfigError({
        app: props.name,
        field: `owners[${i}]`,
        problem,
        fix: "name a GitHub team ('@contoso/payments-team'), a user ('@octocat') or an email address",
      });
  }
  return {
    kind: 'aks-gitops/app',
    name: props.name,
    deploy: props.deploy,
    ...(props.owners?.length ? { owners: [...props.owners] } : {}),
  };
}

export function isAppDefinition(value: unknown): value is AppDefinition {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'aks-gitops/app';
}

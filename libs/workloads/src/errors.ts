import { ConfigError } from '@aks-gitops/cluster-model';
import type { AppChart } from './app-chart';

/** Builds ConfigErrors that name the app and cluster of the chart being declared. */
export class FieldErrors {
  constructor(
    private readonly chart: AppChart,
    private readonly prefix: string,
  ) {}

  /** The app being declared. */
  get app(): string {
    return this.chart.app;
  }

  error(field: string, problem: string, fix: string): ConfigError {
    return new ConfigError({
      cluster: this.chart.cluster.name,
      app: this.chart.app,
      field: this.prefix ? `${this.prefix}.${field}` : field,
      problem,
      fix,
    });
  }

  /** Throws when `problem` is set. */
  check(field: string, problem: string | undefined, fix: string): void {
    if (problem) throw this.error(field, problem, fix);
  }
}

// Watches the metrics the use cases add to the observability buffers (functions/observability.ts),
// by spying on each buffer's `addMetric`; the real buffers still store and drop them.
import { jest } from '@jest/globals';
import {
  CATEGORIES,
  type Category,
  SEVERITIES,
  type Severity,
} from '../../functions/core/model.js';
import type { MetricName } from '../../functions/metric-names.js';
import { metricsOf, severityMetricsOf } from '../../functions/observability.js';

export interface MetricsRecorder {
  /** The values added under `name`, in `category`'s buffer when one is given. */
  values(name: MetricName, category?: Category): number[];
  /** The values added under `name` in `severity`'s buffer (dimension `severity`). */
  bySeverity(name: MetricName, severity: Severity): number[];
  /** Their sum. */
  total(name: MetricName, category?: Category): number;
  restore(): void;
}

export function recordMetrics(): MetricsRecorder {
  const buffers = [undefined, ...CATEGORIES].map((category) => ({
    category,
    spy: jest.spyOn(metricsOf(category), 'addMetric'),
  }));
  const severities = SEVERITIES.map((severity) => ({
    severity,
    spy: jest.spyOn(severityMetricsOf(severity), 'addMetric'),
  }));
  const values = (name: MetricName, category?: Category) =>
    buffers
      .filter((b) => b.category === category)
      .flatMap((b) => b.spy.mock.calls.filter((call) => call[0] === name).map((call) => call[2]));
  return {
    values,
    bySeverity: (name, severity) =>
      severities
        .filter((b) => b.severity === severity)
        .flatMap((b) => b.spy.mock.calls.filter((call) => call[0] === name).map((call) => call[2])),
    total: (name, category) => values(name, category).reduce((sum, v) => sum + v, 0),
    restore: () => {
      for (const { spy } of [...buffers, ...severities]) spy.mockRestore();
    },
  };
}

// The one observability module: structured logs (Powertools Logger), CloudWatch metrics in the
// embedded metric format (Powertools Metrics), X-Ray traces (Powertools Tracer), and `observe`,
// the wrapper every Lambda entry goes through.
// First: it decides how the X-Ray SDK starts, before the Tracer below loads it.
import './tracing-mode.js';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { MetricsOptions } from '@aws-lambda-powertools/metrics/types';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { CATEGORIES, type Category, SEVERITIES, type Severity } from './core/model.js';
import {
  type AgeMetric,
  type CountMetric,
  DEFAULT_SERVICE_NAME,
  METRICS_NAMESPACE,
  type SeverityMetric,
} from './metric-names.js';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? DEFAULT_SERVICE_NAME;
const namespace = process.env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE;
/** Lambda sets this; the local runtime and the tests do not. */
const inLambda = process.env.AWS_LAMBDA_FUNCTION_NAME !== undefined;

export const logger = new Logger({
  serviceName,
  logLevel: (process.env.LOG_LEVEL as 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | undefined) ?? 'INFO',
});

/** Off outside Lambda on its own (Powertools checks AWS_EXECUTION_ENV): no segments locally. */
export const tracer = new Tracer({ serviceName });

/**
 * Powertools Metrics that writes EMF lines only where CloudWatch reads them (a Lambda function's
 * log); elsewhere a publish empties the buffer. Powertools' own switch is an environment
 * variable, and only infra/local/main.ts and test setup may write the environment.
 */
export class LambdaMetrics extends Metrics {
  readonly #writesEmf: boolean;

  constructor(options: MetricsOptions, writesEmf: boolean) {
    super(options);
    this.#writesEmf = writesEmf;
  }

  override publishStoredMetrics(): this {
    // An empty publish only logs Powertools' "No application metrics to publish" warning.
    if (!this.hasStoredMetrics()) return this;
    if (this.#writesEmf) return super.publishStoredMetrics();
    this.clearMetrics();
    this.clearDimensions();
    this.clearMetadata();
    return this;
  }
}

export const metrics = new LambdaMetrics({ namespace, serviceName }, inLambda);

/** One buffer per category: an EMF line carries one value per dimension. */
const metricsByCategory = Object.fromEntries(
  CATEGORIES.map((category) => [
    category,
    new LambdaMetrics({ namespace, serviceName, defaultDimensions: { category } }, inLambda),
  ]),
) as Record<Category, LambdaMetrics>;

/** One buffer per severity, for the levels measured by severity (PendingActions and its age). */
const metricsBySeverity = Object.fromEntries(
  SEVERITIES.map((severity) => [
    severity,
    new LambdaMetrics({ namespace, serviceName, defaultDimensions: { severity } }, inLambda),
  ]),
) as Record<Severity, LambdaMetrics>;

const allMetrics = [
  metrics,
  ...Object.values(metricsByCategory),
  ...Object.values(metricsBySeverity),
];

/** The buffer a metric is stored in until `observe` publishes it (the `category` dimension's own). */
export function metricsOf(category?: Category): LambdaMetrics {
  return category === undefined ? metrics : metricsByCategory[category];
}

/** Counts `value` occurrences of `name`, by category when one is given. */
export function countMetric(name: CountMetric, value = 1, category?: Category): void {
  if (value > 0) metricsOf(category).addMetric(name, MetricUnit.Count, value);
}

/** Records an age in seconds (a level, read with the Maximum statistic). */
export function ageMetric(name: AgeMetric, seconds: number): void {
  metrics.addMetric(name, MetricUnit.Seconds, Math.max(0, Math.round(seconds)));
}

/** The buffer of the levels measured for one severity (the `severity` dimension's own). */
export function severityMetricsOf(severity: Severity): LambdaMetrics {
  return metricsBySeverity[severity];
}

/** Records a level measured for one severity: a count of actions, or an age in seconds. */
export function severityMetric(severity: Severity, name: SeverityMetric, value: number): void {
  const unit = name === 'PendingActions' ? MetricUnit.Count : MetricUnit.Seconds;
  metricsBySeverity[severity].addMetric(name, unit, Math.max(0, Math.round(value)));
}

/**
 * What every entry runs around its handler: the Lambda context on each log line, a trace
 * subsegment annotated with the cold start and the service (responses stay out of the trace:
 * they carry alert data), and the stored metrics published after success and after an error.
 */
export function observability(): MiddlewareObj[] {
  return [
    injectLambdaContext(logger, { resetKeys: true }),
    captureLambdaHandler(tracer, { captureResponse: false }),
    logMetrics(allMetrics),
  ];
}

/** A Lambda handler wrapped in `observability()`: what every entry's `handler` is. */
export function observe<E, R>(
  handler: (event: E, context: Context) => Promise<R>,
): (event: E, context?: Context) => Promise<R> {
  const observed = middy<E, R>(handler).use(observability());
  return (event, context) => observed(event, context ?? ({} as Context));
}

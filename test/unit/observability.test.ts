// The observability module: the one wrapper publishes what an invocation stored, after success
// and after an error; EMF reaches stdout only in Lambda; the tracer stays off outside Lambda.
import { execFileSync } from 'node:child_process';
import { jest } from '@jest/globals';
import {
  countMetric,
  LambdaMetrics,
  metrics,
  metricsOf,
  observe,
  tracer,
} from '../../functions/observability.js';

/** Everything written to stdout and stderr while `act` runs. */
async function printedBy(act: () => unknown): Promise<string> {
  let printed = '';
  const capture = (chunk: unknown) => {
    printed += String(chunk);
    return true;
  };
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    await act();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return printed;
}

describe('observe', () => {
  let publish: jest.Spied<LambdaMetrics['publishStoredMetrics']>;
  beforeEach(() => {
    publish = jest.spyOn(metrics, 'publishStoredMetrics');
  });
  afterEach(() => publish.mockRestore());

  it('publishes the metrics a handler stored once it returns', async () => {
    const handler = observe(async (event: { alerts: number }) => {
      countMetric('AlertsIngested', event.alerts);
      expect(metrics.hasStoredMetrics()).toBe(true);
      return 'done';
    });

    const result = await handler({ alerts: 2 });

    expect(result).toBe('done');
    expect(publish).toHaveBeenCalledTimes(1);
    expect(metrics.hasStoredMetrics()).toBe(false);
  });

  it('publishes the metrics a handler stored before it threw, and rethrows', async () => {
    const handler = observe(async (_event: unknown) => {
      countMetric('RemediationsFailed');
      throw new Error('connector down');
    });

    await expect(handler({})).rejects.toThrow('connector down');

    expect(publish).toHaveBeenCalledTimes(1);
    expect(metrics.hasStoredMetrics()).toBe(false);
  });

  it('publishes the category buffers too', async () => {
    const email = jest.spyOn(metricsOf('email'), 'publishStoredMetrics');
    const handler = observe(async () => countMetric('ActionsProposed', 3, 'email'));

    await handler({});

    expect(email).toHaveBeenCalledTimes(1);
    expect(metricsOf('email').hasStoredMetrics()).toBe(false);
    email.mockRestore();
  });
});

describe('LambdaMetrics', () => {
  const options = { namespace: 'ActionCenter', serviceName: 'action-center' };

  it('prints one EMF line in Lambda, with the namespace, the service and the values', async () => {
    const inLambda = new LambdaMetrics(options, true);
    inLambda.addMetric('AlertsIngested', 'Count', 1);
    inLambda.addMetric('AlertsIngested', 'Count', 1);

    const printed = await printedBy(() => inLambda.publishStoredMetrics());

    const emf = JSON.parse(printed.trim());
    expect(emf).toMatchObject({
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: 'ActionCenter',
            Dimensions: [['service']],
            Metrics: [{ Name: 'AlertsIngested', Unit: 'Count' }],
          },
        ],
      },
      service: 'action-center',
      AlertsIngested: [1, 1],
    });
  });

  it('prints nothing outside Lambda, and empties its buffer', async () => {
    const local = new LambdaMetrics(options, false);
    local.addMetric('AlertsIngested', 'Count', 1);

    const printed = await printedBy(() => local.publishStoredMetrics());

    expect(printed).toBe('');
    expect(local.hasStoredMetrics()).toBe(false);
  });

  it('prints no warning when an invocation stored nothing', async () => {
    const inLambda = new LambdaMetrics(options, true);

    expect(await printedBy(() => inLambda.publishStoredMetrics())).toBe('');
  });
});

describe('outside Lambda', () => {
  it('leaves tracing off, so an SDK client is returned as it is', () => {
    const client = { send: async () => ({}), middlewareStack: { add: () => undefined } };

    expect(tracer.isTracingEnabled()).toBe(false);
    expect(tracer.captureAWSv3Client(client)).toBe(client);
  });

  it('starts the X-Ray SDK without its per-promise context tracking, which Lambda keeps', () => {
    // A fresh process each, as the runtime and a Lambda function load the module.
    const namespacesIn = (env: NodeJS.ProcessEnv) =>
      execFileSync(
        process.execPath,
        [
          '--import',
          'tsx',
          '--input-type=module',
          '-e',
          "await import('./functions/observability.ts'); console.log(JSON.stringify(Object.keys(process.namespaces ?? {})))",
        ],
        { env, encoding: 'utf8' },
      ).trim();
    const env = { PATH: process.env.PATH, LOG_LEVEL: 'ERROR' };

    expect(namespacesIn(env)).toBe('[]');
    expect(namespacesIn({ ...env, AWS_LAMBDA_FUNCTION_NAME: 'decide' })).toBe('["AWSXRay"]');
    // Two fresh processes load the observability stack: seconds on a busy machine.
  }, 30_000);

  it('prints no EMF from the module’s own buffers', async () => {
    const handler = observe(async () => countMetric('AlertsIngested'));

    expect(await printedBy(() => handler({}))).toBe('');
  });
});

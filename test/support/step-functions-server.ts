// The local Step Functions endpoint on a loopback port, as the runtime serves it, so a test can
// drive an engine with the real @aws-sdk/client-sfn.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { LocalStepFunctions } from '../../infra/local/engine/index.js';
import {
  createStepFunctionsEndpoint,
  TARGET_PREFIX,
} from '../../infra/local/http/step-functions-endpoint.js';

export interface StepFunctionsServer {
  url: string;
  /** An SDK client pointed at it. */
  sfn: SFNClient;
  close(): Promise<void>;
}

export async function serveStepFunctions(engine: LocalStepFunctions): Promise<StepFunctionsServer> {
  const endpoint = createStepFunctionsEndpoint(engine);
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const target = String(request.headers['x-amz-target'] ?? TARGET_PREFIX);
      const out = await endpoint(target, Buffer.concat(chunks).toString('utf8'));
      response.writeHead(out.status, { 'Content-Type': 'application/x-amz-json-1.0' });
      response.end(JSON.stringify(out.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sfn = new SFNClient({
    region: 'us-east-1',
    endpoint: url,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return {
    url,
    sfn,
    close: async () => {
      sfn.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// What the host tells the page about itself: `/config.json`, served by the local runtime and,
// in AWS, written next to the page by the CDK deployment.
import * as z from 'zod';

const LocalAuth = z.object({ mode: z.literal('local') });
const CognitoAuth = z.object({
  mode: z.literal('cognito'),
  /** The user pool's hosted UI domain, e.g. `https://acme.auth.eu-west-1.amazoncognito.com`. */
  domain: z.string().min(1),
  clientId: z.string().min(1),
  redirectUri: z.url(),
  scopes: z.array(z.string()).default(['openid', 'email', 'profile']),
});
export const HostConfig = z.object({
  apiBase: z.string().default('/api'),
  auth: z.discriminatedUnion('mode', [LocalAuth, CognitoAuth]),
});
export type HostConfig = z.infer<typeof HostConfig>;
export type CognitoAuth = z.infer<typeof CognitoAuth>;

export async function loadHostConfig(): Promise<HostConfig> {
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok) {
    throw new Error(
      `/config.json answered ${response.status}; the page cannot tell how to sign in.`,
    );
  }
  const parsed = HostConfig.safeParse(await response.json());
  if (!parsed.success) {
    throw new Error(`/config.json is not valid: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

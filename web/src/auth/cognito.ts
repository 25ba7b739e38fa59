// Sign-in through the Cognito hosted UI: the OAuth 2.0 authorization code flow with PKCE
// (RFC 7636), as a public client without a secret. The ID token carries `cognito:groups`, which
// the API Gateway Cognito authorizer passes to the handlers as the caller's roles.
import type { CognitoAuth } from '../config';

const PKCE_KEY = 'actionCenter.pkce';

function base64url(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomString(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

async function challengeOf(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

function origin(domain: string): string {
  return (/^https?:\/\//.test(domain) ? domain : `https://${domain}`).replace(/\/+$/, '');
}

/** Sends the browser to the hosted UI; it comes back to `redirectUri` with `?code&state`. */
export async function beginCognitoSignIn(auth: CognitoAuth): Promise<void> {
  const verifier = randomString(48);
  const state = randomString(16);
  sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state, hash: location.hash }));
  const url = new URL(`${origin(auth.domain)}/oauth2/authorize`);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: auth.clientId,
    redirect_uri: auth.redirectUri,
    scope: auth.scopes.join(' '),
    state,
    code_challenge: await challengeOf(verifier),
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
}

/**
 * On the way back from the hosted UI: trades the code for tokens and returns the ID token, or
 * undefined when this page load is not a sign-in callback. Throws when the callback is invalid.
 */
export async function completeCognitoSignIn(auth: CognitoAuth): Promise<string | undefined> {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  const error = params.get('error');
  if (!code && !error) return undefined;
  const saved = JSON.parse(sessionStorage.getItem(PKCE_KEY) ?? 'null') as {
    verifier: string;
    state: string;
    hash: string;
  } | null;
  sessionStorage.removeItem(PKCE_KEY);
  history.replaceState(null, '', `${location.pathname}${saved?.hash ?? ''}`);
  if (error) throw new Error(`Sign-in failed: ${params.get('error_description') ?? error}`);
  if (!saved || saved.state !== params.get('state')) {
    throw new Error('Sign-in failed: the answer from the sign-in page does not match this tab.');
  }
  const response = await fetch(`${origin(auth.domain)}/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: auth.clientId,
      code: code ?? '',
      redirect_uri: auth.redirectUri,
      code_verifier: saved.verifier,
    }),
  });
  if (!response.ok)
    throw new Error(`Sign-in failed: the token endpoint answered ${response.status}.`);
  const tokens = (await response.json()) as { id_token?: string };
  if (!tokens.id_token) throw new Error('Sign-in failed: no ID token came back.');
  return tokens.id_token;
}

/** Ends the hosted UI session too, then lands back on the page. */
export function cognitoSignOutUrl(auth: CognitoAuth): string {
  const url = new URL(`${origin(auth.domain)}/logout`);
  url.search = new URLSearchParams({
    client_id: auth.clientId,
    logout_uri: auth.redirectUri,
  }).toString();
  return url.toString();
}

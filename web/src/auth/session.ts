// The signed-in user's bearer token, kept in sessionStorage: it lives as long as the tab and is
// never shared with other tabs or written to disk by the page.
const TOKEN_KEY = 'actionCenter.token';

export function storedToken(): string | undefined {
  const token = sessionStorage.getItem(TOKEN_KEY) ?? undefined;
  if (token && isExpired(token)) {
    sessionStorage.removeItem(TOKEN_KEY);
    return undefined;
  }
  return token;
}

export function storeToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** The JWT's `exp`, read without verifying (the API verifies); undefined when it has none. */
export function expiryOf(token: string): Date | undefined {
  try {
    const payload = token.split('.')[1];
    if (!payload) return undefined;
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? new Date(exp * 1000) : undefined;
  } catch {
    return undefined;
  }
}

function isExpired(token: string): boolean {
  const exp = expiryOf(token);
  return exp !== undefined && exp.getTime() <= Date.now();
}

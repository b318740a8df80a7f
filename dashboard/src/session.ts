/**
 * The signed-in user's API token. Kept in sessionStorage only: it lasts as long as the tab, is not
 * shared with other tabs, and is gone when the browser closes.
 */
const TOKEN_KEY = "driftwatch.token";

export function storedToken(): string | undefined {
  return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
}

export function storeToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

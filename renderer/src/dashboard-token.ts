// The dashboard's token in a browser: taken from the printed URL's #token=, kept in this tab's sessionStorage only.
const KEY = "otto-tray-token";

/** Where the token lives when sessionStorage cannot be used (a locked-down browser): this page's memory only. */
let inMemory: string | undefined;

/**
 * Opened as `…/#token=TOKEN` (what `otto-tray serve` prints): moves the token into sessionStorage (this origin and
 * this tab only: no other localhost port sees it, unlike a cookie) and resets the address to `#/`, so the token
 * leaves the address bar and the history entry. Any other hash (`#/preferences`) is left as it is. True when a
 * token was taken.
 */
export function takeTokenFromUrl(): boolean {
  const fragment = new URLSearchParams(window.location.hash.replace(/^#/, ""));
  const token = fragment.get("token");
  if (token === null) return false;
  inMemory = token;
  try {
    window.sessionStorage.setItem(KEY, token);
  } catch {
    // Kept in memory: this page works; a reload asks for the printed URL again.
  }
  window.history.replaceState(null, "", `${window.location.pathname}${window.location.search}#/`);
  return true;
}

/** The token to send, or undefined when the page was opened without it. */
export function dashboardToken(): string | undefined {
  try {
    return window.sessionStorage.getItem(KEY) ?? inMemory;
  } catch {
    return inMemory;
  }
}

/** The headers every API request carries: the token as a Bearer credential (never a cookie). */
export function authHeaders(): Record<string, string> {
  const token = dashboardToken();
  return token === undefined ? {} : { Authorization: `Bearer ${token}` };
}

// The renderer's only way to the core: typed calls and pushed snapshots over the dashboard's HTTP API.
import type { ApiArgs, ApiName, ApiResult, AppSnapshot } from "../../core/api";

/** The page was opened with ?token=…: the server set a cookie, so the token leaves the address bar and history. */
export function forgetTokenInUrl(): void {
  const url = new URL(window.location.href);
  if (!url.searchParams.has("token")) return;
  url.searchParams.delete("token");
  window.history.replaceState(null, "", url.pathname + url.search + url.hash);
}

/** An API call failed: the server's message (it names the field for a bad payload). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Calls `name` with `args`; throws ApiError with the server's reason. */
export async function call<N extends ApiName>(name: N, args: ApiArgs<N>): Promise<ApiResult<N>> {
  const response = await fetch(`api/${name}`, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(args),
  });
  const body = (await response.json().catch(() => ({}))) as { error?: string; field?: string };
  if (!response.ok) throw new ApiError(body.error ?? `HTTP ${response.status}`, response.status, body.field);
  return body as ApiResult<N>;
}

/** Subscribes to pushed snapshots (server-sent events; the browser reconnects by itself). Returns the unsubscribe. */
export function subscribe(onSnapshot: (snapshot: AppSnapshot) => void, onConnection: (connected: boolean) => void): () => void {
  const source = new EventSource("api/events");
  source.addEventListener("snapshot", (event) => onSnapshot(JSON.parse((event as MessageEvent<string>).data) as AppSnapshot));
  source.onopen = () => onConnection(true);
  source.onerror = () => onConnection(false);
  return () => source.close();
}

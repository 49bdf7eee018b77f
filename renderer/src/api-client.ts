// The renderer's only way to the core: typed calls and pushed snapshots, over the app's IPC bridge or the dashboard's HTTP API.
import type { ApiArgs, ApiName, ApiResult, AppSnapshot } from "../../core/api";
import { authHeaders } from "./dashboard-token";
import { type ConnectionProblem, streamSnapshots } from "./event-stream";

export type { ConnectionProblem } from "./event-stream";

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

/** What the menu-bar app's preload exposes (electron/preload): absent in a browser. */
interface AppBridge {
  confirmsNatively: boolean;
  call(name: string, args: unknown): Promise<{ ok: true; result: unknown } | { ok: false; status: number; error: string; field?: string }>;
  onSnapshot(handler: (snapshot: unknown) => void): () => void;
  onFocusSurface(handler: (surface: unknown) => void): () => void;
}

function bridge(): AppBridge | undefined {
  return (window as unknown as { ottoTray?: AppBridge }).ottoTray;
}

/** Inside the menu-bar app, main asks in a native dialog before every acting call: the page must not ask too. */
export function confirmsNatively(): boolean {
  return bridge()?.confirmsNatively === true;
}

/** Where the page gets its data, for messages ("the app", "otto-tray serve"). */
export function backendName(): string {
  return bridge() ? "Otto Tray" : "otto-tray serve";
}

/** Calls `name` with `args`; throws ApiError with the server's reason. */
export async function call<N extends ApiName>(name: N, args: ApiArgs<N>): Promise<ApiResult<N>> {
  const app = bridge();
  if (app) {
    const reply = await app.call(name, args);
    if (!reply.ok) throw new ApiError(reply.error, reply.status, reply.field);
    return reply.result as ApiResult<N>;
  }
  // Always POST with a JSON body and the token header: no cookie is sent (credentials: "omit"), none is needed.
  const response = await fetch(`api/${name}`, {
    method: "POST",
    credentials: "omit",
    headers: { "Content-Type": "application/json", ...authHeaders() },
    body: JSON.stringify(args),
  });
  const body = (await response.json().catch(() => ({}))) as { error?: string; field?: string };
  if (!response.ok) throw new ApiError(body.error ?? `HTTP ${response.status}`, response.status, body.field);
  return body as ApiResult<N>;
}

/**
 * Subscribes to pushed snapshots: over IPC in the app, else serve's event stream read with fetch (the page reconnects
 * with backoff; a refused token stops it with a message). `onConnection` gets null while current, else what to say.
 * Returns the unsubscribe.
 */
export function subscribe(onSnapshot: (snapshot: AppSnapshot) => void, onConnection: (problem: ConnectionProblem) => void): () => void {
  const app = bridge();
  if (app) {
    // The app pushes every change; the first snapshot is asked for, in case the window opened between two pushes.
    const current = (snapshot: AppSnapshot) => {
      onSnapshot(snapshot);
      onConnection(null);
    };
    const stop = app.onSnapshot((snapshot) => {
      if (snapshot) current(snapshot as AppSnapshot);
    });
    void call("snapshot", {}).then(current, () => onConnection(`Cannot reach ${backendName()}.`));
    return stop;
  }
  return streamSnapshots(onSnapshot, onConnection);
}

/** A notification was clicked in the app: bring that surface's row into view. A no-op in a browser. */
export function onFocusSurface(handler: (surface: string) => void): () => void {
  return bridge()?.onFocusSurface((surface) => {
    if (typeof surface === "string") handler(surface);
  }) ?? (() => undefined);
}

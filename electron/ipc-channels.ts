// The IPC channel names and the reply shape, shared by main and the preload (which bundles this file and nothing else
// of ours). The renderer, which may not import from electron/, restates the reply shape in its api-client.
export const IPC = {
  /** renderer → main: one typed API call (`ipcRenderer.invoke`). */
  call: "otto:call",
  /** main → renderer: a new snapshot. */
  snapshot: "otto:snapshot",
  /** main → renderer: show this surface (a notification was clicked). */
  focusSurface: "otto:focus-surface",
} as const;

/** What an `otto:call` answers: the result, or why it was refused (the renderer turns this into an ApiError). */
export type IpcReply = { ok: true; result: unknown } | { ok: false; status: number; error: string; field?: string };

// The IPC channel names, shared by the main process and the preload (which bundles this file and nothing else of ours).
export const IPC = {
  /** renderer → main: one typed API call (`ipcRenderer.invoke`). */
  call: "otto:call",
  /** main → renderer: a new snapshot. */
  snapshot: "otto:snapshot",
  /** main → renderer: show this surface (a notification was clicked). */
  focusSurface: "otto:focus-surface",
} as const;

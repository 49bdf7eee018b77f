// Preload (sandboxed): exposes the typed API's two verbs to the renderer, and nothing else of Electron or Node.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from "electron";
import { IPC, type IpcReply } from "../ipc-channels";

/** The name the renderer finds the bridge under (`window.ottoTray`). */
export const PRELOAD_API_KEY = "ottoTray";


function listen(channel: string, handler: (payload: unknown) => void): () => void {
  const listener = (_event: IpcRendererEvent, payload: unknown) => handler(payload);
  ipcRenderer.on(channel, listener);
  return () => ipcRenderer.removeListener(channel, listener);
}

contextBridge.exposeInMainWorld(PRELOAD_API_KEY, {
  /** Main asks a person in a native dialog before every acting call; the page shows no dialog of its own. */
  confirmsNatively: true,
  /** One API call; resolves with `{ ok, result }` or `{ ok: false, status, error, field }`. */
  call: (name: string, args: unknown): Promise<IpcReply> => ipcRenderer.invoke(IPC.call, name, args),
  onSnapshot: (handler: (snapshot: unknown) => void) => listen(IPC.snapshot, handler),
  onFocusSurface: (handler: (surface: unknown) => void) => listen(IPC.focusSurface, handler),
});

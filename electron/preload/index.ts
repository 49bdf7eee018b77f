// Preload (skeleton): will expose the typed API verbs through contextBridge, and nothing else.
export const PRELOAD_API_KEY = "ottoTray";

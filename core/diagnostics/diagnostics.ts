// The `diagnostics` call's answer for this process: its bounds meter and open files (serve adds its event streams).
import type { ApiResult } from "../api";
import { boundsMeter } from "./bounds-meter";
import { openFileCount } from "./open-files";

/** Bounds and open files now; `streams` as the caller knows them (null where nothing is streamed over HTTP). */
export function processDiagnostics(streams: { open: number; cap: number } | null = null): ApiResult<"diagnostics"> {
  return { bounds: boundsMeter.snapshot(), streams, openFiles: openFileCount() };
}

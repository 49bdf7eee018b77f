// Loader hooks for module-log.mjs: runs on Node's loader thread, so it writes each URL synchronously as it is loaded.
import { appendFileSync } from "node:fs";

const file = process.env.OTTO_TRAY_MODULE_LOG;

export async function load(url, context, nextLoad) {
  if (file) appendFileSync(file, `${url}\n`);
  return nextLoad(url, context);
}

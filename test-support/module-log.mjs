// Preloaded with `node --import` by import-graph tests: every ES module the process loads is appended to $OTTO_TRAY_MODULE_LOG.
import { register } from "node:module";

register("./module-log-hooks.mjs", import.meta.url);

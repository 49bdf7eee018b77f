// Asks a hook endpoint's port who answers there (GET /hook/health), bounded in time: for `hooks status` and a second owner.
import { request } from "node:http";
import { HOOK_HEALTH_PATH } from "./hook-url";

export type HookEndpointProbe = { answers: true; owner: string; pid: number } | { answers: false; reason: string };

/** Never throws; anything but an Otto Tray endpoint's answer within `timeoutMs` is `answers: false` with the reason. */
export function probeHookEndpoint(port: number, timeoutMs = 1000): Promise<HookEndpointProbe> {
  return new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port, path: HOOK_HEALTH_PATH, method: "GET", timeout: timeoutMs }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        if (text.length < 4096) text += chunk;
      });
      response.on("end", () => {
        try {
          const value = JSON.parse(text) as { service?: unknown; owner?: unknown; pid?: unknown };
          if (value.service === "otto-tray-hook-endpoint" && typeof value.owner === "string" && typeof value.pid === "number") {
            resolve({ answers: true, owner: value.owner, pid: value.pid });
            return;
          }
        } catch {
          // Not ours: said below.
        }
        resolve({ answers: false, reason: `something else answers on 127.0.0.1:${port} (HTTP ${response.statusCode ?? "?"})` });
      });
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", (error: NodeJS.ErrnoException) => {
      resolve({ answers: false, reason: error.code === "ECONNREFUSED" ? `nothing listens on 127.0.0.1:${port}` : `127.0.0.1:${port}: ${error.message}` });
    });
    req.end();
  });
}

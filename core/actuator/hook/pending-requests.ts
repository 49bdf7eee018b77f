// Permission requests a PermissionRequest hook is waiting on: what `unstick plan` sees for a Claude Code surface.
import { randomBytes } from "node:crypto";
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { readJsonFile, writeFileAtomic } from "../../fs/atomic-write";
import { isProcessAlive, type ProcessRef, processRef } from "../../process-liveness";
import { actuatorDir, ensureActuatorDir } from "../state/private-dir";
import type { PermissionRequestInput } from "./request-prompt";

export interface PendingRequest extends PermissionRequestInput {
  requestId: string;
  surface: string;
  /** The waiting hook process: a request whose hook is gone is settled. */
  hook: ProcessRef;
  createdAt: string;
}

function requestsDir(homeDir: string): string {
  return join(actuatorDir(homeDir), "requests");
}

export function savePendingRequest(homeDir: string, surface: string, input: PermissionRequestInput, now = new Date()): PendingRequest {
  ensureActuatorDir(homeDir);
  const request: PendingRequest = { ...input, requestId: randomBytes(16).toString("hex"), surface, hook: processRef(process.pid), createdAt: now.toISOString() };
  writeFileAtomic(join(requestsDir(homeDir), `${request.requestId}.json`), `${JSON.stringify(request)}\n`, { mode: 0o600 });
  return request;
}

export function removePendingRequest(homeDir: string, requestId: string): void {
  if (/^[0-9a-f]{32}$/.test(requestId)) rmSync(join(requestsDir(homeDir), `${requestId}.json`), { force: true });
}

/** Requests of `surface` whose hook is still waiting, newest last; records of dead hooks are removed. */
export function pendingRequestsFor(homeDir: string, surface: string): PendingRequest[] {
  let names: string[];
  try {
    names = readdirSync(requestsDir(homeDir));
  } catch {
    return [];
  }
  const live: PendingRequest[] = [];
  for (const name of names.filter((n) => /^[0-9a-f]{32}\.json$/.test(n))) {
    const request = readJsonFile(join(requestsDir(homeDir), name)) as PendingRequest | undefined;
    if (request === undefined || typeof request.hook?.pid !== "number") continue;
    if (!isProcessAlive(request.hook)) {
      rmSync(join(requestsDir(homeDir), name), { force: true });
      continue;
    }
    if (request.surface === surface) live.push(request);
  }
  return live.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

// The soak run of issue 15, shared by its test and its benchmark: `serve` on a 20,000-envelope bus under steady load,
// with event-stream clients of which some never read, and the actuator switched every second. No test runner here.
import { connect, type Socket } from "node:net";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { buildEnvelope, writeEnvelope } from "../core/bus/writer";
import { makeDashboardDirs, writeHeartbeat } from "./dashboard-world";
import { type HttpResult, http, type ServeProcess, startServe } from "./serve";

export interface SoakOptions {
  envelopes: number;
  seconds: number;
  heartbeatsPerSecond: number;
  readingClients: number;
  stalledClients: number;
  /** Called about every 100 ms with the serve process's pid (the benchmark samples CPU and memory here). */
  onTick?: (pid: number) => void;
  log?: (message: string) => void;
}

export interface BoundReading {
  highWater: number;
  bound: number;
  limited: number;
}

export interface SoakResult {
  /** The serve process's own bounds meter at the end of the load (`diagnostics`). */
  bounds: Record<string, BoundReading>;
  streamsAtPeak: number;
  openFilesAtStart: number | null;
  /** Open files once every client has gone (polled until back at the start or a deadline passes). */
  openFilesAfter: number | null;
  heartbeatsWritten: number;
  switches: number;
  switchFailures: string[];
  snapshotsRead: number;
}

const SURFACES = ["otto-cli", "otto-desktop", "otto-launchd"];

/** Counts the open file descriptors of `pid` (Linux /proc), or null where that cannot be read. */
export function openFileCount(pid: number): number | null {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return null;
  }
}

/** One API call to the serve process with its token header (POST calls carry their arguments as JSON). */
export function apiCall(serve: ServeProcess, method: "GET" | "POST", name: string, args?: unknown): Promise<HttpResult> {
  const auth = { Authorization: `Bearer ${serve.token}` };
  if (method === "GET") return http(serve.port, "GET", `/api/${name}`, auth);
  return http(serve.port, "POST", `/api/${name}`, { ...auth, "Content-Type": "application/json" }, JSON.stringify(args ?? {}));
}

/** Opens an event stream on a raw socket: a reader counts the snapshots it receives; a stalled one never reads. */
function openStream(serve: ServeProcess, reading: boolean, onSnapshot: () => void): Socket {
  const socket = connect({ host: "127.0.0.1", port: serve.port });
  socket.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${serve.port}\r\nAuthorization: Bearer ${serve.token}\r\nAccept: text/event-stream\r\n\r\n`);
  if (reading) {
    let pending = "";
    socket.setEncoding("utf8").on("data", (chunk: string) => {
      pending += chunk;
      let at = pending.indexOf("\n\n");
      while (at >= 0) {
        if (pending.slice(0, at).includes("event: snapshot")) onSnapshot();
        pending = pending.slice(at + 2);
        at = pending.indexOf("\n\n");
      }
    });
  } else {
    // Never read: the kernel's buffers fill, and then only the server's own bound stands between it and the client.
    socket.pause();
  }
  socket.on("error", () => undefined);
  return socket;
}

/** Runs the soak and returns what the serve process reports of its bounds and files. */
export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const log = options.log ?? (() => undefined);
  const { root, home, bus } = makeDashboardDirs("otto-soak-", { poolSize: 1, identities: [] });
  log(`bus: writing ${options.envelopes} envelopes`);
  const now = Date.now();
  for (let i = 0; i < options.envelopes; i++) {
    const from = i % 10 < 3 ? (SURFACES[i % 3] as string) : `other-agent-${i % 17}`;
    writeEnvelope(bus, buildEnvelope({ topic: "heartbeat", payload: { status: "working", note: `backlog ${i}` }, from }, new Date(now - (options.envelopes - i) * 50)));
  }
  const serve = await startServe(["--home", home], { ZETA_BUS_DIR: "", OTTO_TRAY_HOME: "", CLAUDE_CONFIG_DIR: join(root, "claude") });
  const pid = serve.child.pid ?? 0;
  const sockets: Socket[] = [];
  try {
    // The first snapshot has been computed once a read call answers: count files from there.
    if ((await apiCall(serve, "GET", "snapshot")).status !== 200) throw new Error("serve did not answer its first snapshot");
    const openFilesAtStart = openFileCount(pid);
    let snapshotsRead = 0;
    for (let i = 0; i < options.readingClients + options.stalledClients; i++) sockets.push(openStream(serve, i < options.readingClients, () => (snapshotsRead += 1)));
    log(`load: ${options.seconds} s, ${options.heartbeatsPerSecond} heartbeats/s, ${options.readingClients} reading and ${options.stalledClients} stalled streams`);

    let heartbeatsWritten = 0;
    let switches = 0;
    const switchFailures: string[] = [];
    const started = Date.now();
    let nextSwitch = started + 1000;
    let nextTick = started;
    const beatEvery = 1000 / options.heartbeatsPerSecond;
    let nextBeat = started;
    let streamsAtPeak = 0;
    while (Date.now() - started < options.seconds * 1000) {
      const t = Date.now();
      while (nextBeat <= t) {
        writeHeartbeat(bus, SURFACES[heartbeatsWritten % SURFACES.length] as string, { status: heartbeatsWritten % 2 === 0 ? "working" : "idle", note: `soak ${heartbeatsWritten}` });
        heartbeatsWritten += 1;
        nextBeat += beatEvery;
      }
      if (t >= nextSwitch) {
        const on = switches % 2 === 0;
        const answer = await apiCall(serve, "POST", on ? "actuatorOn" : "actuatorOff", on ? { confirm: true } : {});
        if (answer.status !== 200) switchFailures.push(`${on ? "actuatorOn" : "actuatorOff"}: ${answer.status} ${answer.body.slice(0, 200)}`);
        switches += 1;
        nextSwitch += 1000;
      }
      if (t >= nextTick) {
        options.onTick?.(pid);
        nextTick += 100;
      }
      if (streamsAtPeak === 0 && t - started > 2000) streamsAtPeak = streamCount(await diagnostics(serve));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const bounds = (await diagnostics(serve)).bounds;
    for (const socket of sockets.splice(0)) socket.destroy();
    const openFilesAfter = await settledOpenFiles(pid, openFilesAtStart);
    return { bounds, streamsAtPeak, openFilesAtStart, openFilesAfter, heartbeatsWritten, switches, switchFailures, snapshotsRead };
  } finally {
    for (const socket of sockets) socket.destroy();
    await serve.stop();
  }
}

interface Diagnostics {
  bounds: Record<string, BoundReading>;
  streams: { open: number; cap: number };
}

async function diagnostics(serve: ServeProcess): Promise<Diagnostics> {
  const answer = await apiCall(serve, "GET", "diagnostics");
  if (answer.status !== 200) throw new Error(`diagnostics answered ${answer.status}: ${answer.body.slice(0, 200)}`);
  return JSON.parse(answer.body) as Diagnostics;
}

function streamCount(d: Diagnostics): number {
  return d.streams.open;
}

/** Polls the open-file count until it is back at `start` (or 30 s pass): closing sockets is asynchronous on the server's side. */
async function settledOpenFiles(pid: number, start: number | null): Promise<number | null> {
  const deadline = Date.now() + 30_000;
  let count = openFileCount(pid);
  while (start !== null && count !== null && count > start && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    count = openFileCount(pid);
  }
  return count;
}

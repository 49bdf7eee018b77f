// The dashboard's HTTP adapter over the app service: Host and Origin checked on every request, the token on every API
// call, changing calls only by POST, every payload validated against core/api.ts, snapshots pushed by server-sent events.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { API, type AppSnapshot } from "../../core/api";
import { callChanges, isApiName, MAX_CALL_BYTES, parseApiCall } from "../../core/api-call";
import type { AppService } from "../../core/app-service";
import { describeError } from "../../core/errors";
import { EventStreams } from "./event-streams";
import { readBody } from "./request-body";
import { allowedHosts, originProblem, tokenOf, tokensEqual } from "./security";
import { securityHeaders, serveStatic } from "./static-files";
import { MAX_CONNECTIONS, MAX_STREAMS } from "./stream-limits";

const MAX_BODY = MAX_CALL_BYTES;
/** A body over the limit is still read (and discarded) up to this much, so its client receives the 413. */
const MAX_DRAINED_BODY = 16 * MAX_BODY;

export interface DashboardOptions {
  service: Pick<AppService, "handlers" | "snapshot" | "on" | "off">;
  token: string;
  host: string;
  port: number;
  /** dist/renderer, or undefined to serve a page saying the UI is not built. */
  rendererDir: string | undefined;
}

export interface Dashboard {
  server: Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

function json(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", ...headers }).end(JSON.stringify(value));
}

/** The request's path with its escapes decoded, or undefined when it is malformed (`/%E0%A4%A`, `/api/%zz`). */
function decodedPath(req: IncomingMessage): string | undefined {
  try {
    return decodeURIComponent(new URL(req.url ?? "/", "http://dashboard.invalid").pathname);
  } catch {
    return undefined;
  }
}

/** Starts the server; resolves once it listens (port 0 picks a free one). */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  let hosts = new Set<string>();
  const streams = new EventStreams();
  const push = (snapshot: AppSnapshot) => streams.push(snapshot);
  options.service.on("snapshot", push);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    securityHeaders(res);
    const refused = originProblem(req, hosts);
    if (refused !== undefined) return json(res, 403, { error: refused });
    const path = decodedPath(req);
    if (path === undefined) return json(res, 400, { error: "the URL's path has a malformed percent-escape" });
    if (!path.startsWith("/api/")) {
      // The page, its scripts and styles hold no secret: they are served without the token (Host and Origin are checked).
      if (req.method !== "GET" && req.method !== "HEAD") return json(res, 405, { error: `${req.method} is not allowed here: use GET` }, { Allow: "GET, HEAD" });
      if (!serveStatic(options.rendererDir, path, res)) json(res, 404, { error: `no such page ${path}` });
      return;
    }
    const token = tokenOf(req);
    if (token === undefined || !tokensEqual(token, options.token)) {
      return json(res, 401, { error: "missing or wrong token: open the URL otto-tray serve printed (it ends in #token=…), or send Authorization: Bearer TOKEN" });
    }
    const name = path.slice(5);
    if (name === "events") {
      if (req.method !== "GET") return json(res, 405, { error: `${req.method} is not allowed on the event stream: use GET` }, { Allow: "GET" });
      if (streams.full()) return json(res, 503, { error: `too many event streams open (${MAX_STREAMS}): close a dashboard tab and try again` });
      return streams.open(req, res, options.service.snapshot());
    }
    if (!isApiName(name)) return json(res, 404, { error: `no API call ${JSON.stringify(name)}`, calls: Object.keys(API) });
    let args: unknown = {};
    if (req.method === "POST") {
      if (!/^application\/json\s*(;|$)/i.test(req.headers["content-type"] ?? "")) return json(res, 415, { error: "send the arguments as application/json" });
      const body = await readBody(req, MAX_BODY, MAX_DRAINED_BODY);
      if (!body.ok) return json(res, 413, { error: `the body is larger than ${MAX_BODY} bytes` }, { Connection: "close" });
      try {
        args = body.text.trim() === "" ? {} : JSON.parse(body.text);
      } catch (error) {
        return json(res, 400, { error: `the body is not JSON: ${describeError(error)}`, field: "(body)" });
      }
    } else if (req.method === "GET") {
      // A GET can come from any page's image or link: only calls that change nothing answer it.
      if (callChanges(name)) return json(res, 405, { error: `${name} changes something: send it as POST with a JSON body` }, { Allow: "POST" });
    } else return json(res, 405, { error: `${req.method} is not allowed: use POST` }, { Allow: callChanges(name) ? "POST" : "GET, POST" });
    const parsed = parseApiCall(name, args);
    if (!parsed.ok) return json(res, parsed.status, { error: parsed.error, field: parsed.field, errors: parsed.errors });
    const handler = options.service.handlers[parsed.name] as (a: unknown) => Promise<unknown>;
    let result = await handler(parsed.args);
    if (parsed.name === "diagnostics") result = { ...(result as object), streams: streams.counts() };
    // Results go out through their schema too: what the page gets is exactly what the API says (internals stripped).
    json(res, 200, API[parsed.name].result.parse(result));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) json(res, 500, { error: describeError(error) });
      else res.end();
    });
  });
  server.maxConnections = MAX_CONNECTIONS;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  hosts = allowedHosts(options.host, port);
  const shownHost = options.host.includes(":") ? `[${options.host}]` : options.host;
  return {
    server,
    port,
    // In the fragment: a browser sends it nowhere (no request, no Referer); the page moves it to its sessionStorage.
    url: `http://${shownHost}:${port}/#token=${options.token}`,
    close: async () => {
      options.service.off("snapshot", push);
      streams.closeAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

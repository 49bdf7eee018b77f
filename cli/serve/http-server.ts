// The dashboard's HTTP adapter over the app service: token, Host and Origin checked on every request, every payload
// validated against core/api.ts, snapshots pushed by server-sent events.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { API, type AppSnapshot } from "../../core/api";
import { MAX_CALL_BYTES, isApiName, parseApiCall } from "../../core/api-call";
import type { AppService } from "../../core/app-service";
import { describeError } from "../../core/errors";
import { allowedHosts, originProblem, TOKEN_COOKIE, tokenOf, tokensEqual } from "./security";
import { securityHeaders, serveStatic } from "./static-files";

const MAX_BODY = MAX_CALL_BYTES;

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

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8" }).end(JSON.stringify(value));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error("too large"));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Starts the server; resolves once it listens (port 0 picks a free one). */
export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  let hosts = new Set<string>();
  const streams = new Set<ServerResponse>();
  const push = (snapshot: AppSnapshot) => {
    const frame = `event: snapshot\ndata: ${JSON.stringify(snapshot)}\n\n`;
    for (const res of streams) res.write(frame);
  };
  options.service.on("snapshot", push);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    securityHeaders(res);
    const refused = originProblem(req, hosts);
    if (refused !== undefined) return json(res, 403, { error: refused });
    const url = new URL(req.url ?? "/", "http://dashboard.invalid");
    const token = tokenOf(req, url);
    if (token === undefined || !tokensEqual(token, options.token)) {
      return json(res, 401, { error: "missing or wrong token: open the URL otto-tray serve printed, or send Authorization: Bearer TOKEN" });
    }
    if (url.searchParams.has("token")) {
      // The page keeps the token in a cookie only this origin's requests carry; scripts cannot read it.
      res.setHeader("Set-Cookie", `${TOKEN_COOKIE}=${encodeURIComponent(options.token)}; Path=/; HttpOnly; SameSite=Strict`);
    }
    if (!url.pathname.startsWith("/api/")) {
      if (req.method !== "GET" && req.method !== "HEAD") return json(res, 405, { error: `${req.method} is not allowed here` });
      if (!serveStatic(options.rendererDir, url.pathname, res)) json(res, 404, { error: `no such page ${url.pathname}` });
      return;
    }
    const name = url.pathname.slice(5);
    if (name === "events") return openStream(req, res);
    if (!isApiName(name)) return json(res, 404, { error: `no API call ${JSON.stringify(name)}`, calls: Object.keys(API) });
    let args: unknown = {};
    if (req.method === "POST") {
      if (!/^application\/json\b/i.test(req.headers["content-type"] ?? "")) return json(res, 415, { error: "send the arguments as application/json" });
      let text: string;
      try {
        text = await readBody(req);
      } catch {
        return json(res, 413, { error: `the body is larger than ${MAX_BODY} bytes` });
      }
      try {
        args = text.trim() === "" ? {} : JSON.parse(text);
      } catch (error) {
        return json(res, 400, { error: `the body is not JSON: ${describeError(error)}`, field: "(body)" });
      }
    } else if (req.method !== "GET") return json(res, 405, { error: `${req.method} is not allowed: use GET or POST` });
    const parsed = parseApiCall(name, args);
    if (!parsed.ok) return json(res, parsed.status, { error: parsed.error, field: parsed.field, errors: parsed.errors });
    const handler = options.service.handlers[parsed.name] as (a: unknown) => Promise<unknown>;
    const result = await handler(parsed.args);
    // Results go out through their schema too: what the page gets is exactly what the API says (internals stripped).
    json(res, 200, API[parsed.name].result.parse(result));
  };

  const openStream = (req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-store", Connection: "keep-alive" });
    res.write(`retry: 1000\nevent: snapshot\ndata: ${JSON.stringify(options.service.snapshot())}\n\n`);
    streams.add(res);
    req.on("close", () => streams.delete(res));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) json(res, 500, { error: describeError(error) });
      else res.end();
    });
  });
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
    url: `http://${shownHost}:${port}/?token=${options.token}`,
    close: async () => {
      options.service.off("snapshot", push);
      for (const res of streams) res.end();
      streams.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

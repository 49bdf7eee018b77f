// The dashboard's gate: a random token compared in constant time, and only our own Host and Origin accepted.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

/** 32 random bytes, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

/** Constant-time comparison (hashing first makes the lengths equal, so the length leaks nothing either). */
export function tokensEqual(given: string, expected: string): boolean {
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * The token a request carries: `Authorization: Bearer TOKEN` only. Never a cookie (a browser sends a host's cookies
 * to every port of it, so any server on another localhost port would get it) and never the query string (it stays
 * in history and logs): the page keeps the token in its own sessionStorage and sends the header itself.
 */
export function tokenOf(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (auth !== undefined && /^Bearer /i.test(auth)) return auth.slice(7).trim();
  return undefined;
}

/** The Host values this server answers to: the address it listens on and localhost, with its port. */
export function allowedHosts(host: string, port: number): Set<string> {
  const names = new Set([host, "127.0.0.1", "localhost"]);
  if (host === "::1") names.add("[::1]");
  return new Set([...names].map((n) => `${n.includes(":") && !n.startsWith("[") ? `[${n}]` : n}:${port}`));
}

/**
 * Why a request is refused, or undefined. A foreign Host is a DNS-rebinding page; a foreign Origin is another
 * site's script: both are refused before the token is even looked at.
 */
export function originProblem(req: IncomingMessage, hosts: ReadonlySet<string>): string | undefined {
  const host = req.headers.host;
  if (host === undefined || !hosts.has(host.toLowerCase())) return `Host ${JSON.stringify(host ?? "")} is not this dashboard`;
  const origin = req.headers.origin?.toLowerCase();
  if (origin !== undefined && !(origin.startsWith("http://") && hosts.has(origin.slice("http://".length)))) return `Origin ${JSON.stringify(origin)} is not this dashboard`;
  return undefined;
}

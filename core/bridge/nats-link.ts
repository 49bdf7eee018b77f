// The bridge's one connection to NATS: connect with the person's credentials, open the surfaces bucket, and say every
// way it fails in one line (refused credentials, unreachable server, no JetStream). The only file that knows NATS' API.
import { Kvm, type KV, type KvWatchEntry } from "@nats-io/kv";
import { connect, nkeyAuthenticator, credsAuthenticator, type NatsConnection, type NodeConnectionOptions } from "@nats-io/transport-node";
import { OttoError } from "../errors";
import type { BridgeCredentials } from "./credentials";

/** The bucket of every machine's surfaces, keyed `<host>.<surface>`; one value per key (history 1). */
export const SURFACES_BUCKET = "otto-tray-surfaces";

/** A problem that retrying cannot fix (refused credentials, no JetStream): the bridge says it and stops. */
export class BridgeLinkError extends OttoError {}

/** How long a first connection attempt may take before it counts as unreachable. */
const CONNECT_TIMEOUT_MS = 5000;

export function connectionOptions(url: string, credentials: BridgeCredentials | undefined, name: string, waitOnFirstConnect: boolean): NodeConnectionOptions {
  const options: NodeConnectionOptions = {
    servers: url,
    name,
    timeout: CONNECT_TIMEOUT_MS,
    reconnect: true,
    // Forever: the hub coming back after any outage is the normal case; the local bus works meanwhile.
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1000,
    waitOnFirstConnect,
  };
  if (credentials?.kind === "nkey") options.authenticator = nkeyAuthenticator(new TextEncoder().encode(credentials.seed));
  else if (credentials?.kind === "creds") options.authenticator = credsAuthenticator(new TextEncoder().encode(credentials.text));
  else if (credentials?.kind === "user") Object.assign(options, { user: credentials.user, pass: credentials.password });
  return options;
}

/** One line for a connection failure; `retry`: whether trying again can help (an unreachable server, not a refusal). */
export function describeLinkError(url: string, error: unknown): { line: string; retry: boolean } {
  const name = error instanceof Error ? error.constructor.name : "";
  const message = error instanceof Error ? error.message : String(error);
  if (name === "AuthorizationError" || /authorization violation|authentication/i.test(message)) {
    return { line: `${url} refused the credentials (${message}): check the --creds file, or ask the hub's admin for this machine's user`, retry: false };
  }
  if (name === "JetStreamNotEnabled" || /jetstream is not enabled|jetstream not enabled/i.test(message)) {
    return { line: `${url} has no JetStream: start nats-server with -js (or a jetstream { } block in its config)`, retry: false };
  }
  const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : "";
  return { line: `cannot reach ${url}: ${message}${cause}`, retry: true };
}

export interface NatsLink {
  connection: NatsConnection;
  surfaces: KV;
}

/**
 * Connects and opens the surfaces bucket (created when absent, where the credentials allow it). Refused credentials
 * and a server without JetStream throw BridgeLinkError; an unreachable server throws what the client threw (retry).
 */
export async function openLink(url: string, credentials: BridgeCredentials | undefined, name: string, waitOnFirstConnect: boolean): Promise<NatsLink> {
  let connection: NatsConnection;
  try {
    connection = await connect(connectionOptions(url, credentials, name, waitOnFirstConnect));
  } catch (error) {
    const said = describeLinkError(url, error);
    if (!said.retry) throw new BridgeLinkError(said.line);
    throw error;
  }
  try {
    const surfaces = await openKv(connection, SURFACES_BUCKET);
    return { connection, surfaces };
  } catch (error) {
    await connection.close().catch(() => undefined);
    const said = describeLinkError(url, error);
    throw new BridgeLinkError(said.retry ? `${url}: the ${SURFACES_BUCKET} bucket cannot be opened: ${error instanceof Error ? error.message : String(error)}` : said.line);
  }
}

/** A bucket of one value per key, created when absent (where the credentials allow it). */
export function openKv(connection: NatsConnection, bucket: string): Promise<KV> {
  return new Kvm(connection).create(bucket, { history: 1 });
}

export type { KV, KvWatchEntry, NatsConnection };

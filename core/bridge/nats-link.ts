// The bridge's one connection to NATS: connect with the person's credentials, open the buckets (created only where
// missing), and say every way it fails in one line (refused credentials, unreachable server, no JetStream, a bucket
// this user may not create). Behind a leaf node (`hubDomain`), every shared bucket and stream is the hub's, addressed
// through its JetStream domain.
import { type JetStreamOptions, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { Kvm, type KV, type KvWatchEntry } from "@nats-io/kv";
import { connect, nkeyAuthenticator, credsAuthenticator, type NatsConnection, type NodeConnectionOptions } from "@nats-io/transport-node";
import { OttoError } from "../errors";
import type { BridgeCredentials } from "./credentials";
import { inboxPrefixOf } from "./inbox-prefix";

/** The bucket of every machine's surfaces, keyed `<host>.<surface>`; one value per key (history 1). */
export const SURFACES_BUCKET = "otto-tray-surfaces";

/** A problem that retrying cannot fix (refused credentials, no JetStream): the bridge says it and stops. */
export class BridgeLinkError extends OttoError {}

/** How long a first connection attempt may take before it counts as unreachable. */
const CONNECT_TIMEOUT_MS = 5000;

/**
 * `inboxPrefix`: where this connection's replies come (a machine's bridge: its own, the only one its user may read);
 * undefined: the client's `_INBOX` (the admin, who may read everything).
 */
export function connectionOptions(url: string, credentials: BridgeCredentials | undefined, name: string, waitOnFirstConnect: boolean, inboxPrefix?: string): NodeConnectionOptions {
  const options: NodeConnectionOptions = {
    servers: url,
    name,
    timeout: CONNECT_TIMEOUT_MS,
    reconnect: true,
    // Forever: the hub coming back after any outage is the normal case; the local bus works meanwhile.
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1000,
    waitOnFirstConnect,
    ...(inboxPrefix === undefined ? {} : { inboxPrefix }),
  };
  if (credentials?.kind === "nkey") options.authenticator = nkeyAuthenticator(new TextEncoder().encode(credentials.seed));
  else if (credentials?.kind === "creds") options.authenticator = credsAuthenticator(new TextEncoder().encode(credentials.text));
  else if (credentials?.kind === "user") Object.assign(options, { user: credentials.user, pass: credentials.password });
  return options;
}

/** One line for a connection failure; `retry`: whether trying again can help (an unreachable server, not a refusal). */
export function describeLinkError(url: string, error: unknown): { line: string; retry: boolean } {
  // Already said in one line (a bucket or stream missing that this user may not create).
  if (error instanceof BridgeLinkError) return { line: error.message, retry: false };
  const name = error instanceof Error ? error.constructor.name : "";
  const message = error instanceof Error ? error.message : String(error);
  if (name === "AuthorizationError" || /authorization violation|authentication/i.test(message)) {
    return { line: `${url} refused the credentials (${message}): check the --creds file, or ask the hub's admin for this machine's user`, retry: false };
  }
  // A hub whose permission list predates per-host inboxes lets this user read only `_INBOX.>`, not its own prefix.
  const inbox = /Permissions Violation for Subscription to "(_INBOX_[a-z0-9-]+)\./i.exec(message)?.[1];
  if (inbox !== undefined) {
    return { line: `${url} refuses this machine's replies at ${inbox}.> (${message}): its permission list predates per-host inboxes; run otto-tray bridge keys again and use the authorization block it prints, or add "${inbox}.>" to this user's subscribe list`, retry: false };
  }
  if (isNoJetStream(error)) {
    return { line: `${url} has no JetStream: start nats-server with -js (or a jetstream { } block in its config)`, retry: false };
  }
  const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : "";
  return { line: `cannot reach ${url}: ${message}${cause}`, retry: true };
}

/** Whether `error` says JetStream is not there (on a leaf node, also what a hub that does not answer looks like). */
export function isNoJetStream(error: unknown): boolean {
  return error instanceof Error && (error.constructor.name === "JetStreamNotEnabled" || /jetstream is not enabled|jetstream not enabled/i.test(error.message));
}

export interface NatsLink {
  connection: NatsConnection;
  surfaces: KV;
  /** The hub's JetStream domain when connected to a leaf node of it; undefined: the server connected to is the hub. */
  hubDomain: string | undefined;
}

/** The JetStream options that address the hub: its domain through a leaf node, else the server connected to (as before). */
export function hubJs(domain: string | undefined): JetStreamOptions {
  return domain === undefined ? {} : { domain };
}

/** How long a request to the hub's JetStream through a leaf may take before the hub counts as not answering. */
export const HUB_PROBE_TIMEOUT_MS = 1500;

/** The one line for a hub whose JetStream does not answer through the leaf node at `url` (retried). */
export function hubSilentLine(url: string, domain: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `the hub's JetStream (domain ${domain}) does not answer through the leaf at ${url} (${message}): the hub is down or unreachable, or its domain is not ${domain}; trying again every 2 s (the local bus works as before)`;
}

/** Whether the hub's JetStream answers through the leaf (a cheap account-info request, bounded by a short timeout). */
export async function probeHub(connection: NatsConnection, domain: string): Promise<void> {
  const jsm = await jetstreamManager(connection, { domain, timeout: HUB_PROBE_TIMEOUT_MS, checkAPI: false });
  await jsm.getAccountInfo();
}

/** The hub's JetStream does not answer through the leaf node (down, unreachable): retried, never a refusal. */
export class HubSilentError extends Error {}

/**
 * Connects as `host`'s bridge (its replies under its own inbox prefix) and opens the surfaces bucket (created when absent, where the credentials allow it; else one line says to
 * run `bridge setup`). Refused credentials and a server without JetStream throw BridgeLinkError; an unreachable
 * server throws what the client threw (retry). Through a leaf node (`hubDomain`), a hub that does not answer looks
 * like "no JetStream" to the client: that is a HubSilentError (retry), not a refusal.
 */
export async function openLink(url: string, credentials: BridgeCredentials | undefined, host: string, waitOnFirstConnect: boolean, hubDomain?: string): Promise<NatsLink> {
  const connection = await connectTo(url, connectionOptions(url, credentials, `otto-tray ${host}`, waitOnFirstConnect, inboxPrefixOf(host)));
  try {
    const surfaces = await openKv(connection, SURFACES_BUCKET, hubDomain);
    return { connection, surfaces, hubDomain };
  } catch (error) {
    await connection.close().catch(() => undefined);
    if (error instanceof BridgeLinkError) throw error;
    if (hubDomain !== undefined && isNoJetStream(error)) throw new HubSilentError(hubSilentLine(url, hubDomain, error));
    const said = describeLinkError(url, error);
    throw new BridgeLinkError(said.retry ? `${url}: the ${SURFACES_BUCKET} bucket cannot be opened: ${error instanceof Error ? error.message : String(error)}` : said.line);
  }
}

/** Connects; refused credentials and a server without JetStream throw BridgeLinkError, anything else as thrown. */
async function connectTo(url: string, options: NodeConnectionOptions): Promise<NatsConnection> {
  try {
    return await connect(options);
  } catch (error) {
    const said = describeLinkError(url, error);
    if (!said.retry) throw new BridgeLinkError(said.line);
    throw error;
  }
}

/** One connection attempt, no reconnecting: for a command that does its work and exits (`bridge setup`). */
export function connectOnce(url: string, credentials: BridgeCredentials | undefined, name: string): Promise<NatsConnection> {
  return connectTo(url, { ...connectionOptions(url, credentials, name, false), reconnect: false, maxReconnectAttempts: 0 });
}

/** Whether `error` is the server's refusal of a subject this user may not publish to (JetStream's API included). */
export function isPermissionViolation(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause) if (e.name === "PermissionViolationError" || /permissions violation/i.test(e.message)) return true;
  return false;
}

/** Whether `error` says a stream (a bucket is one) does not exist. */
export function isStreamNotFound(error: unknown): boolean {
  return error instanceof Error && (error.name === "StreamNotFoundError" || /stream not found/i.test(error.message));
}

/** The one line for a bucket or stream that is missing while this user may not create it (a machine's, not the admin's). */
export function missingForThisUser(what: string): BridgeLinkError {
  return new BridgeLinkError(`${what} does not exist and this user may not create it: run otto-tray bridge setup with the admin's credentials`);
}

/** The JetStream stream behind a KV bucket. */
const streamOf = (bucket: string) => `KV_${bucket}`;

/**
 * An existing bucket opened as it is (a machine's user may only read its info); one that does not exist is created
 * with one value per key, where the credentials allow it, else a BridgeLinkError says to run `bridge setup`.
 */
export async function openKv(connection: NatsConnection, bucket: string, hubDomain?: string): Promise<KV> {
  const kvm = hubDomain === undefined ? new Kvm(connection) : new Kvm(jetstream(connection, hubJs(hubDomain)));
  try {
    const info = await (await jetstreamManager(connection, hubJs(hubDomain))).streams.info(streamOf(bucket));
    return await kvm.open(bucket, { allow_direct: info.config.allow_direct === true });
  } catch (error) {
    if (!isStreamNotFound(error)) throw error;
  }
  return (await createKv(connection, bucket, hubDomain)).kv;
}

/**
 * Creates `bucket` (one value per key) unless it exists, with rollup headers off: subject permissions cannot stop a
 * user who may write one key from publishing it with `Nats-Rollup: all`, which would purge every machine's keys (the
 * bridge never purges; it deletes). `created`: made now; `closed`: an existing bucket's rollups turned off now.
 */
export async function createKv(connection: NatsConnection, bucket: string, hubDomain?: string): Promise<{ kv: KV; created: boolean; closed: boolean }> {
  const jsm = await jetstreamManager(connection, hubJs(hubDomain));
  let existed = true;
  try {
    await jsm.streams.info(streamOf(bucket));
  } catch (error) {
    if (!isStreamNotFound(error)) throw error;
    existed = false;
  }
  try {
    const kv = await (hubDomain === undefined ? new Kvm(connection) : new Kvm(jetstream(connection, hubJs(hubDomain)))).create(bucket, { history: 1 });
    const info = await jsm.streams.info(streamOf(bucket));
    const rollups = info.config.allow_rollup_hdrs === true;
    if (rollups) await jsm.streams.update(streamOf(bucket), { allow_rollup_hdrs: false });
    return { kv, created: !existed, closed: existed && rollups };
  } catch (error) {
    if (isPermissionViolation(error)) throw missingForThisUser(`the ${bucket} bucket`);
    throw error;
  }
}

export type { KV, KvWatchEntry, NatsConnection };

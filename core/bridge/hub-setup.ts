// `otto-tray bridge setup`: the admin creates what the machines' users may only use (the two buckets and the stream),
// each once; what exists is left as it is. With leaf domains, the stream also sources each leaf's OTTO_TRAY_LOCAL.
import { jetstreamManager } from "@nats-io/jetstream";
import type { BridgeCredentials } from "./credentials";
import { ensureEscalationStream, ESCALATIONS_STREAM } from "./escalation-stream";
import { LOCAL_STREAM } from "./leaf-forward";
import { EPISODES_BUCKET } from "./global-quorum";
import { BridgeLinkError, connectOnce, createKv, describeLinkError, isPermissionViolation, type NatsConnection, SURFACES_BUCKET } from "./nats-link";

/** The JetStream API prefix that reaches a leaf node's domain from the hub. */
export const leafApi = (domain: string) => `$JS.${domain}.API`;

/**
 * Adds to the escalations stream a source from the OTTO_TRAY_LOCAL stream of the leaf whose domain is `domain` (the
 * hub keeps its place in it: what the leaf stored while cut off arrives once the leaf is linked again). `created`:
 * added now.
 */
export async function sourceLeaf(connection: NatsConnection, domain: string): Promise<{ created: boolean }> {
  const jsm = await jetstreamManager(connection);
  const info = await jsm.streams.info(ESCALATIONS_STREAM);
  const sources = info.config.sources ?? [];
  if (sources.some((s) => s.name === LOCAL_STREAM && s.external?.api === leafApi(domain))) return { created: false };
  await jsm.streams.update(ESCALATIONS_STREAM, { sources: [...sources, { name: LOCAL_STREAM, external: { api: leafApi(domain), deliver: "" } }] });
  return { created: true };
}

/** Creates what is missing on the hub at `url`; one line per bucket or stream (created, or already there). */
export async function setUpHub(url: string, credentials: BridgeCredentials | undefined, leafDomains: readonly string[] = []): Promise<string[]> {
  let connection: Awaited<ReturnType<typeof connectOnce>>;
  try {
    connection = await connectOnce(url, credentials, "otto-tray bridge setup");
  } catch (error) {
    throw new BridgeLinkError(describeLinkError(url, error).line);
  }
  const lines: string[] = [];
  const said = (what: string, done: { created: boolean; closed?: boolean }) =>
    lines.push(`${what}: ${done.created ? "created" : done.closed === true ? "already there; rollup headers turned off" : "already there, left as it is"}`);
  try {
    for (const bucket of [SURFACES_BUCKET, EPISODES_BUCKET]) said(`bucket ${bucket}`, await createKv(connection, bucket));
    said(`stream ${ESCALATIONS_STREAM}`, await ensureEscalationStream(connection));
    for (const domain of leafDomains) said(`source ${LOCAL_STREAM} of leaf domain ${domain} in ${ESCALATIONS_STREAM}`, await sourceLeaf(connection, domain));
  } catch (error) {
    if (error instanceof BridgeLinkError) throw new BridgeLinkError(`${url}: ${error.message.replace(/: run otto-tray bridge setup.*$/, "")}; pass the admin's seed (admin.seed from otto-tray bridge keys)`);
    if (isPermissionViolation(error)) throw new BridgeLinkError(`${url}: this user may not set up the hub (${(error as Error).message}); pass the admin's seed (admin.seed from otto-tray bridge keys)`);
    throw new BridgeLinkError(describeLinkError(url, error).line);
  } finally {
    await connection.close().catch(() => undefined);
  }
  return lines;
}

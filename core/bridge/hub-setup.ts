// `otto-tray bridge setup`: the admin creates what the machines' users may only use (the two buckets and the stream),
// each once; what exists is left as it is.
import type { BridgeCredentials } from "./credentials";
import { ensureEscalationStream, ESCALATIONS_STREAM } from "./escalation-stream";
import { EPISODES_BUCKET } from "./global-quorum";
import { BridgeLinkError, connectOnce, createKv, describeLinkError, isPermissionViolation, SURFACES_BUCKET } from "./nats-link";

/** Creates what is missing on the hub at `url`; one line per bucket or stream (created, or already there). */
export async function setUpHub(url: string, credentials: BridgeCredentials | undefined): Promise<string[]> {
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
  } catch (error) {
    if (error instanceof BridgeLinkError) throw new BridgeLinkError(`${url}: ${error.message.replace(/: run otto-tray bridge setup.*$/, "")}; pass the admin's seed (admin.seed from otto-tray bridge keys)`);
    if (isPermissionViolation(error)) throw new BridgeLinkError(`${url}: this user may not set up the hub (${(error as Error).message}); pass the admin's seed (admin.seed from otto-tray bridge keys)`);
    throw new BridgeLinkError(describeLinkError(url, error).line);
  } finally {
    await connection.close().catch(() => undefined);
  }
  return lines;
}

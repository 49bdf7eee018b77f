// Where a machine's bridge gets its replies: one inbox prefix per host, the only subject its user may subscribe to.
import { SURFACE_ID_PATTERN } from "../ids";

/**
 * `_INBOX_<host>`: every reply to this machine's bridge (JetStream's answers, the KV watch's and the durable
 * consumer's deliveries) comes under it, and machinePermissions lets the machine's user subscribe to nothing else, so
 * no machine reads another's replies. A host is a surface-style id (a-z, 0-9, '-'), so it cannot bring a '.', '*' or
 * '>' into the subject; anything else is refused here rather than turned into a wider permission.
 */
export function inboxPrefixOf(host: string): string {
  if (!SURFACE_ID_PATTERN.test(host)) throw new Error(`${JSON.stringify(host)} is not a host id (a-z, 0-9 and '-', at most 64): no inbox prefix for it`);
  return `_INBOX_${host}`;
}

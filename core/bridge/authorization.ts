// Who may do what on the hub: one nkey user per machine (its own keys and subjects, reading the others', no JetStream
// administration) and one admin user, printed as a nats-server `authorization` block (public keys only, never seeds).
import { createUser } from "@nats-io/nkeys";
import { ESCALATIONS_STREAM, ESCALATIONS_SUBJECT } from "./escalation-stream";
import { EPISODE_KEY, EPISODES_BUCKET as EPISODES, LEASE_KEY } from "./global-quorum";
import { inboxPrefixOf } from "./inbox-prefix";
import { SURFACES_BUCKET as SURFACES } from "./nats-link";

/** The admin's user name in the block and its seed file's name (`admin.seed`): no machine may take it. */
export const ADMIN_USER = "admin";

export interface Permissions {
  publish: string[];
  subscribe: string[];
}

/**
 * What one machine's bridge needs and nothing more (found by tracing a bridge's every publish on nats-server 2.9.10
 * with the 3.4.0 clients): its own surface keys, the lease and the episode's memory, the escalations; read-only
 * JetStream calls (account, stream and its own consumer's info, direct gets); its own durable consumer on the
 * escalations (create, next, acks); and the KV watch's ephemeral ordered consumer (create, the delete of a reset one,
 * flow control). Never STREAM.CREATE/UPDATE/DELETE/PURGE, nor any other consumer's delete: those are the admin's.
 */
export function machinePermissions(host: string): Permissions {
  const durable = `otto-tray-${host}`;
  return {
    publish: [
      `$KV.${SURFACES}.${host}.>`,
      `$KV.${EPISODES}.${EPISODE_KEY}`,
      `$KV.${EPISODES}.${LEASE_KEY}`,
      ESCALATIONS_SUBJECT,
      "$JS.API.INFO",
      `$JS.API.STREAM.INFO.KV_${SURFACES}`,
      `$JS.API.STREAM.INFO.KV_${EPISODES}`,
      `$JS.API.STREAM.INFO.${ESCALATIONS_STREAM}`,
      `$JS.API.DIRECT.GET.KV_${SURFACES}.>`,
      `$JS.API.DIRECT.GET.KV_${EPISODES}.>`,
      `$JS.API.CONSUMER.CREATE.KV_${SURFACES}.*.$KV.${SURFACES}.>`,
      `$JS.API.CONSUMER.DELETE.KV_${SURFACES}.*`,
      `$JS.FC.KV_${SURFACES}.>`,
      `$JS.API.CONSUMER.INFO.${ESCALATIONS_STREAM}.${durable}`,
      `$JS.API.CONSUMER.CREATE.${ESCALATIONS_STREAM}.${durable}`,
      `$JS.API.CONSUMER.MSG.NEXT.${ESCALATIONS_STREAM}.${durable}`,
      `$JS.ACK.${ESCALATIONS_STREAM}.${durable}.>`,
    ],
    // Replies (JetStream's answers, the watch's and the consumer's deliveries) come to this machine's own inbox
    // prefix (the bridge connects with it): not `_INBOX.>`, which would let it read every other machine's replies.
    subscribe: [`${inboxPrefixOf(host)}.>`],
  };
}

/** The admin creates, changes and removes the buckets and the stream (`otto-tray bridge setup`): everything. */
export const ADMIN_PERMISSIONS: Permissions = { publish: [">"], subscribe: [">"] };

export interface NkeyUser {
  /** The machine's host name, or {@link ADMIN_USER}. */
  name: string;
  publicKey: string;
  /** The private seed (`SU…`): written to the user's file, never printed. */
  seed: string;
  permissions: Permissions;
}

/** A fresh nkey user for `name` with `permissions`. */
export function newNkeyUser(name: string, permissions: Permissions): NkeyUser {
  const pair = createUser();
  const user = { name, publicKey: pair.getPublicKey(), seed: new TextDecoder().decode(pair.getSeed()), permissions };
  pair.clear();
  return user;
}

/** nats-server's configuration strings: double-quoted (a bare `$` would be read as a variable). */
function quoted(subjects: readonly string[]): string {
  return `[${subjects.map((s) => JSON.stringify(s)).join(", ")}]`;
}

/** The `authorization { users: [...] }` block for nats-server's configuration: public keys and permissions only. */
export function authorizationBlock(users: readonly NkeyUser[]): string {
  const entries = users.map((u) =>
    [
      `    # ${u.name}`,
      "    {",
      `      nkey: ${u.publicKey}`,
      "      permissions {",
      `        publish: { allow: ${quoted(u.permissions.publish)} }`,
      `        subscribe: { allow: ${quoted(u.permissions.subscribe)} }`,
      "      }",
      "    }",
    ].join("\n"),
  );
  return `authorization {\n  users: [\n${entries.join("\n")}\n  ]\n}\n`;
}

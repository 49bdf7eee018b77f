// The bridge's NATS credentials, from a file the person owns with mode 0600 (never from the command line, where any
// process can read them): an nkey seed, a NATS .creds file, or {"user", "password"} as JSON.
import { UsageError } from "../errors";
import { currentUid, readRegularFile } from "../fs/regular-file";

export type BridgeCredentials = { kind: "nkey"; seed: string } | { kind: "creds"; text: string } | { kind: "user"; user: string; password: string };

/** A credentials file is a few hundred bytes; anything far larger is not one. */
const MAX_CREDENTIALS_BYTES = 16 * 1024;
const USER_SEED = /^SU[A-Z2-7]{56}$/;

/** Reads and checks `file`; every way it cannot be used is a UsageError naming the file and what to do. */
export function readBridgeCredentials(file: string, uid: number | undefined = currentUid()): BridgeCredentials {
  const read = readRegularFile(file, MAX_CREDENTIALS_BYTES, uid, { followSymlinks: true });
  if (!read.ok) {
    throw new UsageError(`--creds: ${file} ${read.reason}`, read.missing ? "write the seed or credentials there (otto-tray bridge keys writes one per machine)" : "use a regular file you own, with mode 0600");
  }
  if ((read.stat.mode & 0o077) !== 0) {
    throw new UsageError(`--creds: ${file} can be read by others (mode ${(read.stat.mode & 0o777).toString(8)})`, `chmod 600 ${file}`);
  }
  const text = read.text.trim();
  if (text.includes("-----BEGIN NATS USER JWT-----")) return { kind: "creds", text };
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"));
  if (lines.length === 1 && USER_SEED.test(lines[0] ?? "")) return { kind: "nkey", seed: lines[0] as string };
  if (text.startsWith("{")) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new UsageError(`--creds: ${file} is not valid JSON (${(error as Error).message})`, 'write {"user": "NAME", "password": "SECRET"}');
    }
    const { user, password } = (value ?? {}) as { user?: unknown; password?: unknown };
    if (typeof user === "string" && user !== "" && typeof password === "string" && password !== "") return { kind: "user", user, password };
    throw new UsageError(`--creds: ${file} must hold a non-empty "user" and "password"`, 'write {"user": "NAME", "password": "SECRET"}');
  }
  throw new UsageError(`--creds: ${file} holds no nkey user seed (SU…), NATS .creds file, or {"user", "password"} JSON`, "write one of those (otto-tray bridge keys writes a seed per machine)");
}

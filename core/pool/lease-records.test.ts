// Lease records fail closed: an empty, truncated, unparseable or hand-edited record holds its sidetick; liveness beats expiry.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeRepoWithOrigin } from "../../test-support/git";
import { ExitCode } from "../errors";
import { allocate, init, NoFreeSidetickError, release, status } from "./index";
import { identityLayout } from "./layout";
import { DEFAULT_TTL_SECONDS, holdsSidetick, type Lease, leaseLiveness, lingering, readRecord, recordProblem } from "./leases";

function setup() {
  const t = makeRepoWithOrigin({ "README.md": "hello\n" });
  const poolRoot = join(t.root, "pool");
  const opts = { repo: t.repo, poolRoot, identity: "otto-cli" };
  const recordFile = identityLayout(poolRoot, "otto-cli").recordFile(1);
  return { ...t, poolRoot, opts, recordFile };
}

// Each damaged record is made from a real one a live allocation wrote.
const damage: Record<string, (text: string) => string> = {
  empty: () => "",
  truncated: (text) => text.slice(0, Math.floor(text.length / 2)),
  "not JSON": () => "\u0000\u0000\u0000",
  "missing pending": (text) => {
    const record = JSON.parse(text) as { lease: Record<string, unknown> };
    delete record.lease.pending;
    return JSON.stringify(record);
  },
  "missing holder": (text) => {
    const record = JSON.parse(text) as { lease: Record<string, unknown> };
    delete record.lease.holder;
    return JSON.stringify(record);
  },
  "lease edited to a string": (text) => JSON.stringify({ ...(JSON.parse(text) as object), lease: "mine" }),
  "another version": (text) => JSON.stringify({ ...(JSON.parse(text) as object), version: 2 }),
};

describe("an unreadable lease record counts as leased", () => {
  it.each(Object.keys(damage))("a %s record holds its sidetick: allocate exits 3, status says unreadable", async (kind) => {
    const t = setup();
    await init({ ...t.opts, size: 1 });
    const a = await allocate(t.opts);
    writeFileSync(join(a.path, "work.txt"), "the holder's work\n");
    writeFileSync(t.recordFile, damage[kind]!(readFileSync(t.recordFile, "utf8")));
    expect(readRecord(t.recordFile, 1).unreadable).toBeDefined();
    const error = await allocate(t.opts).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoFreeSidetickError);
    expect(readFileSync(join(a.path, "work.txt"), "utf8")).toBe("the holder's work\n");
    const shown = (await status(t.opts)).identities[0]!.sideticks[0]!;
    expect(shown.state).toBe("unreadable");
    expect(shown.note).toMatch(/counted as held.*doctor --fix/);
  });

  it("a missing record is a sidetick never leased (free)", () => {
    const t = setup();
    expect(readRecord(join(t.root, "nope.json"), 1)).toEqual({ version: 1, sidetick: 1, lease: null, releasedAt: null });
  });

  it("a whole record written by allocate reads back as it was written", async () => {
    const t = setup();
    const a = await allocate(t.opts);
    const record = readRecord(t.recordFile, 1);
    expect(record.unreadable).toBeUndefined();
    expect(record.lease?.leaseId).toBe(a.leaseId);
  });
});

describe("liveness beats expiry", () => {
  const base: Lease = { leaseId: "lease-x", holder: null, pending: null, since: "2030-01-01T00:00:00Z", expiresAt: null, ttlSeconds: null, branch: null, base: "origin/main", head: null };
  const at = (iso: string) => new Date(iso);
  const alive = (pids: number[]) => (ref: { pid: number }) => pids.includes(ref.pid);

  it("a live holder keeps its lease past the TTL; a dead one frees it", () => {
    const lease = { ...base, holder: { pid: 7 }, expiresAt: "2030-01-01T00:00:01Z", ttlSeconds: 1 };
    expect(leaseLiveness(lease, at("2030-01-02T00:00:00Z"), alive([7]))).toBe("active");
    expect(leaseLiveness(lease, at("2030-01-02T00:00:00Z"), alive([]))).toBe("holder-dead");
  });

  it("a dead holder's lease stays held while its command's group lives or a process works in the sidetick", () => {
    const lease = { ...base, holder: { pid: 7 }, group: { pid: 70 } };
    const now = at("2030-01-02T00:00:00Z");
    const checks = (groupAlive: boolean, workers: number[] | undefined) => ({ isAlive: alive([]), isGroupAlive: () => groupAlive, workersIn: () => workers });
    expect(leaseLiveness(lease, now, checks(true, []))).toBe("orphaned");
    expect(lingering(lease, checks(true, []))).toMatch(/process group 70 still runs.*kill -TERM -70/);
    expect(leaseLiveness(lease, now, checks(false, [99]))).toBe("orphaned");
    expect(lingering(lease, checks(false, [99]))).toBe("process(es) 99 work in it");
    // Where nobody can tell who works in it, it stays held (fail closed) and says how to give it back.
    expect(leaseLiveness(lease, now, checks(false, undefined))).toBe("orphaned");
    expect(lingering(lease, checks(false, undefined), "otto-cli")).toMatch(/pool release --identity otto-cli --lease lease-x/);
    expect(leaseLiveness(lease, now, checks(false, []))).toBe("holder-dead");
    expect(holdsSidetick("orphaned")).toBe(true);
    // A live holder needs no look at its group.
    expect(leaseLiveness(lease, now, { ...checks(false, []), isAlive: alive([7]) })).toBe("active");
  });

  it("a record's group is optional (older records have none) but must be a process when present", () => {
    const record = (lease: object) => ({ version: 1, sidetick: 1, lease: { ...base, ...lease }, releasedAt: null });
    expect(recordProblem(record({}), 1)).toBeUndefined();
    expect(recordProblem(record({ group: null }), 1)).toBeUndefined();
    expect(recordProblem(record({ group: { pid: 70, start: "123" } }), 1)).toBeUndefined();
    expect(recordProblem(record({ group: "70" }), 1)).toMatch(/lease\.group/);
  });

  it("a live allocator keeps its claim whatever the clock says", () => {
    const lease = { ...base, pending: { pid: 8 }, expiresAt: "2030-01-01T00:00:01Z", ttlSeconds: 1 };
    expect(leaseLiveness(lease, at("2030-01-02T00:00:00Z"), alive([8]))).toBe("active");
  });

  it("a lease with neither holder nor expiry runs out after the default TTL (no lease lives forever)", () => {
    expect(DEFAULT_TTL_SECONDS).toBe(86_400);
    expect(leaseLiveness(base, at("2030-01-01T23:59:59Z"), alive([]))).toBe("active");
    expect(leaseLiveness(base, at("2030-01-02T00:00:00Z"), alive([]))).toBe("expired");
  });

  it("allocate without a holder gives the lease the default TTL of 24 h", async () => {
    const t = setup();
    const clock = new Date("2030-01-01T00:00:00Z");
    const a = await allocate({ ...t.opts, now: () => clock });
    expect(a.expiresAt).toBe("2030-01-02T00:00:00.000Z");
    expect(readRecord(t.recordFile, 1).lease?.ttlSeconds).toBe(DEFAULT_TTL_SECONDS);
  });
});

describe("release names its lease", () => {
  it("A's lease ran out and B took the sidetick: A's release is refused (exit 5) and B keeps it", async () => {
    const t = setup();
    await init({ ...t.opts, size: 1 });
    let clock = new Date("2030-01-01T00:00:00Z");
    const now = () => clock;
    const a = await allocate({ ...t.opts, now, ttlSeconds: 60 });
    clock = new Date("2030-01-01T00:02:00Z");
    const b = await allocate({ ...t.opts, now, ttlSeconds: 600 });
    expect(b.path).toBe(a.path);
    writeFileSync(join(b.path, "b-work.txt"), "B works here\n");
    for (const attempt of [{ leaseId: a.leaseId }, { leaseId: a.leaseId, path: a.path }]) {
      await expect(release({ ...t.opts, now, ...attempt })).rejects.toMatchObject({ exitCode: ExitCode.refused, message: /does not hold.*nothing freed/ });
    }
    expect(readRecord(t.recordFile, 1).lease?.leaseId).toBe(b.leaseId);
    await expect(allocate({ ...t.opts, now })).rejects.toBeInstanceOf(NoFreeSidetickError);
    expect(readFileSync(join(b.path, "b-work.txt"), "utf8")).toBe("B works here\n");
    await expect(release({ ...t.opts, now, leaseId: undefined, path: b.path })).rejects.toMatchObject({ exitCode: ExitCode.usage, message: /must name the lease/ });
    expect((await release({ ...t.opts, now, leaseId: b.leaseId })).released).toBe(true);
  });
});

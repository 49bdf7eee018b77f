// Kernel locks: mutual exclusion inside and across processes, and a lock that comes free when its holder is SIGKILLed.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { expect, it } from "vitest";
import { makeTempDir } from "../../test-support/temp";
import { LockTimeoutError } from "./errors";
import { sleep } from "./git";
import { withFileLock } from "./locks";

it("lets one holder in at a time within a process", async () => {
  const file = join(makeTempDir(), "lock");
  let inside = 0;
  let most = 0;
  await Promise.all(
    Array.from({ length: 8 }, () =>
      withFileLock(file, async () => {
        inside++;
        most = Math.max(most, inside);
        await sleep(5);
        inside--;
      }),
    ),
  );
  expect(most).toBe(1);
});

it("frees a lock whose holder process was killed, and times out while it lives", async () => {
  const dir = makeTempDir();
  const file = join(dir, "lock");
  const ready = join(dir, "ready");
  const fsx = createRequire(import.meta.url).resolve("fs-native-extensions");
  const script = `const f=require(${JSON.stringify(fsx)});const fs=require("fs");const fd=fs.openSync(${JSON.stringify(file)},"a+");` +
    `if(!f.tryLock(fd))process.exit(9);fs.writeFileSync(${JSON.stringify(ready)},"1");setInterval(()=>{},1000);`;
  const holder = spawn(process.execPath, ["-e", script], { stdio: "ignore" });
  for (let i = 0; i < 200 && !existsSync(ready); i++) await sleep(25);
  expect(existsSync(ready)).toBe(true);
  await expect(withFileLock(file, async () => "got it", { timeoutMs: 200 })).rejects.toBeInstanceOf(LockTimeoutError);
  await new Promise((resolve) => holder.on("exit", resolve).kill("SIGKILL"));
  expect(await withFileLock(file, async () => "got it", { timeoutMs: 5000 })).toBe("got it");
});

it("bounds the wait in this process's own queue: a waiter gives up with a LockTimeoutError, and the queue goes on", async () => {
  const file = join(makeTempDir(), "lock");
  let releaseHolder!: () => void;
  const held = new Promise<void>((resolve) => (releaseHolder = resolve));
  const holder = withFileLock(file, () => held, { timeoutMs: 5_000 });
  const waiter = withFileLock(file, async () => "never", { timeoutMs: 100 }).catch((e: unknown) => e);
  const error = await waiter;
  expect(error).toBeInstanceOf(LockTimeoutError);
  expect((error as Error).message).toMatch(/waiting for the lock .*lock \(another call in this process holds it\)/);
  releaseHolder();
  await holder;
  // The waiter that gave up does not block the next one.
  expect(await withFileLock(file, async () => "next", { timeoutMs: 1_000 })).toBe("next");
});

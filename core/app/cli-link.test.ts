// The stable CLI link: where it lives, and ensureStableCli creating, keeping, re-pointing and refusing, on real symlinks in temp dirs.
import { spawnSync } from "node:child_process";
import { chmodSync, lstatSync, mkdirSync, readFileSync, readlinkSync, readdirSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "../../test-support/temp";
import { ensureStableCli, stableCliPath, stableCliPointsAt } from "./cli-link";

/** A stand-in app bundle whose Resources/cli/bin/otto-tray is a script saying which app it belongs to. */
function makeApp(parent: string, name: string): string {
  const bin = join(parent, `${name}.app`, "Contents", "Resources", "cli", "bin", "otto-tray");
  mkdirSync(dirname(bin), { recursive: true });
  writeFileSync(bin, `#!/bin/sh\necho "${name} $*"\n`);
  chmodSync(bin, 0o755);
  return bin;
}

function run(command: string): { code: number | null; stdout: string } {
  const result = spawnSync("/bin/sh", ["-c", command], { encoding: "utf8", env: { PATH: "/usr/bin:/bin" } });
  return { code: result.status, stdout: result.stdout };
}

describe("stableCliPath", () => {
  it("is under Application Support on macOS and under XDG_DATA_HOME (or ~/.local/share) elsewhere", () => {
    expect(stableCliPath("/Users/ann", "darwin", {})).toBe("/Users/ann/Library/Application Support/Otto Tray/bin/otto-tray");
    expect(stableCliPath("/home/ann", "linux", {})).toBe("/home/ann/.local/share/otto-tray/bin/otto-tray");
    expect(stableCliPath("/home/ann", "linux", { XDG_DATA_HOME: "/data" })).toBe("/data/otto-tray/bin/otto-tray");
    expect(stableCliPath("/home/ann", "linux", { XDG_DATA_HOME: "relative/data" })).toBe("/home/ann/.local/share/otto-tray/bin/otto-tray");
  });
});

describe("ensureStableCli", () => {
  it("creates the link and its directories, then leaves a current link unchanged", () => {
    const root = makeTempDir("otto-link-");
    const target = makeApp(join(root, "Applications"), "Otto Tray");
    const stableLink = stableCliPath(join(root, "home"), "darwin");
    const first = ensureStableCli({ stableLink, target });
    expect(first).toMatchObject({ status: "created", stableLink, target });
    expect(readlinkSync(stableLink)).toBe(target);
    expect(run(`'${stableLink}' --version`)).toEqual({ code: 0, stdout: "Otto Tray --version\n" });
    expect(ensureStableCli({ stableLink, target })).toMatchObject({ status: "unchanged" });
    expect(stableCliPointsAt(stableLink, target)).toBe(true);
  });

  it("re-points the link when the app was moved, and a hook command through the link runs the moved app", () => {
    const root = makeTempDir("otto-link-");
    const oldTarget = makeApp(join(root, "Downloads"), "Otto Tray");
    const stableLink = stableCliPath(join(root, "home"), "linux", {});
    expect(ensureStableCli({ stableLink, target: oldTarget }).status).toBe("created");
    const hookCommand = `'${stableLink}' hook --surface otto-a --pid "$PPID"`;
    expect(run(hookCommand).stdout).toMatch(/^Otto Tray hook --surface otto-a --pid \d+\n$/);

    // The person drags the app from Downloads to Applications: the old target is gone.
    mkdirSync(join(root, "Applications"));
    renameSync(join(root, "Downloads", "Otto Tray.app"), join(root, "Applications", "Otto Tray.app"));
    const newTarget = join(root, "Applications", "Otto Tray.app", "Contents", "Resources", "cli", "bin", "otto-tray");
    expect(run(hookCommand).code).not.toBe(0);
    expect(stableCliPointsAt(stableLink, newTarget)).toBe(false);

    const result = ensureStableCli({ stableLink, target: newTarget });
    expect(result).toMatchObject({ status: "repointed", previous: oldTarget, target: newTarget });
    expect(result.message).toContain(newTarget);
    const after = run(hookCommand);
    expect(after.code).toBe(0);
    expect(after.stdout).toMatch(/^Otto Tray hook --surface otto-a --pid \d+\n$/);
    expect(stableCliPointsAt(stableLink, newTarget)).toBe(true);
    // No temporary link is left beside it.
    expect(readdirSync(dirname(stableLink))).toEqual(["otto-tray"]);
  });

  it("refuses to replace a regular file or a directory at the stable path, leaving it as it was", () => {
    const root = makeTempDir("otto-link-");
    const target = makeApp(root, "Otto Tray");
    const stableLink = join(root, "bin", "otto-tray");
    mkdirSync(dirname(stableLink));
    writeFileSync(stableLink, "#!/bin/sh\necho mine\n");
    const refused = ensureStableCli({ stableLink, target });
    expect(refused).toMatchObject({ status: "refused" });
    expect(refused.message).toMatch(/is a regular file, not Otto Tray's link; left untouched/);
    expect(readFileSync(stableLink, "utf8")).toBe("#!/bin/sh\necho mine\n");

    const dirLink = join(root, "dir", "otto-tray");
    mkdirSync(dirLink, { recursive: true });
    expect(ensureStableCli({ stableLink: dirLink, target })).toMatchObject({ status: "refused" });
    expect(lstatSync(dirLink).isDirectory()).toBe(true);
  });

  it("reports a missing or non-executable target as a failure and keeps the existing link", () => {
    const root = makeTempDir("otto-link-");
    const target = makeApp(root, "Otto Tray");
    const stableLink = join(root, "bin", "otto-tray");
    expect(ensureStableCli({ stableLink, target }).status).toBe("created");

    const gone = ensureStableCli({ stableLink, target: join(root, "Elsewhere.app", "otto-tray") });
    expect(gone).toMatchObject({ status: "failed" });
    expect(gone.message).toMatch(/does not exist; the link was left as it was/);
    expect(readlinkSync(stableLink)).toBe(target);

    chmodSync(target, 0o644);
    expect(ensureStableCli({ stableLink: join(root, "other", "otto-tray"), target }).message).toMatch(/is not executable/);
    expect(ensureStableCli({ stableLink, target: "relative/otto-tray" })).toMatchObject({ status: "failed" });
  });

  it("replaces a link someone pointed elsewhere (a dangling or relative link is still ours)", () => {
    const root = makeTempDir("otto-link-");
    const target = makeApp(root, "Otto Tray");
    const stableLink = join(root, "bin", "otto-tray");
    mkdirSync(dirname(stableLink));
    symlinkSync("../nowhere/otto-tray", stableLink);
    expect(ensureStableCli({ stableLink, target })).toMatchObject({ status: "repointed", previous: "../nowhere/otto-tray" });
    expect(run(`'${stableLink}' status`).stdout).toBe("Otto Tray status\n");
  });
});

// The set-up's optional Electron step, run as real processes against stand-in electron packages (whose install.js
// succeeds, fails like the offline download, or hangs): one line says what happened and the set-up never fails for it.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../test-support/cli";
import { makeTempDir } from "../test-support/temp";

const FETCH = join(REPO_ROOT, "scripts", "fetch-electron.mjs");
const SETUP = join(REPO_ROOT, "scripts", "setup");
const FAILS = "Electron: could not fetch the binary";

/** An electron package whose install.js runs BODY (after the real one's skip check) and records that it ran. */
function packageWithInstall(body: string): { dir: string; ran: string } {
  const dir = join(makeTempDir("otto-electron-pkg-"), "electron");
  mkdirSync(dir);
  const ran = join(dir, "..", "install-ran");
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "electron", version: "41.7.1" }));
  writeFileSync(
    join(dir, "install.js"),
    `const fs = require("fs"); const path = require("path");
if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) process.exit(0);
fs.writeFileSync(${JSON.stringify(ran)}, String(process.pid));
${body}`,
  );
  return { dir, ran };
}

const INSTALLS = `fs.mkdirSync(path.join(__dirname, "dist"));
fs.writeFileSync(path.join(__dirname, "dist", "electron"), "#!/bin/sh\\n", { mode: 0o755 });
fs.writeFileSync(path.join(__dirname, "path.txt"), "electron");`;
// What the real install.js prints here: @electron/get's error stack, then exit 1.
const OFFLINE = `console.error(Object.assign(new Error("getaddrinfo ENOTFOUND github.com"), { name: "RequestError" }).stack); process.exit(1);`;

function runFetch(dir: string, args: string[] = []) {
  return spawnSync(process.execPath, [FETCH, ...args], { env: { ...process.env, OTTO_TRAY_ELECTRON_PACKAGE: dir, ELECTRON_SKIP_BINARY_DOWNLOAD: "1" }, encoding: "utf8", timeout: 60_000 });
}

/** Runs scripts/setup with a stand-in `npm` (the real `npm ci` would rewrite node_modules) and the given electron package. */
function runSetup(dir: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const bin = makeTempDir("otto-stub-npm-");
  writeFileSync(join(bin, "npm"), "#!/bin/sh\nexit 0\n");
  chmodSync(join(bin, "npm"), 0o755);
  const base = { ...process.env };
  for (const name of ["CI", "OTTO_SKIP_ELECTRON", "ELECTRON_SKIP_BINARY_DOWNLOAD"]) delete base[name];
  return spawnSync(SETUP, args, { env: { ...base, PATH: `${bin}:${process.env.PATH}`, OTTO_TRAY_ELECTRON_PACKAGE: dir, ...env }, encoding: "utf8", timeout: 60_000 });
}

describe("fetching Electron's binary (scripts/fetch-electron.mjs)", () => {
  it("says the binary is installed when install.js put it in place, even with ELECTRON_SKIP_BINARY_DOWNLOAD set for the set-up", () => {
    const { dir, ran } = packageWithInstall(INSTALLS);
    const result = runFetch(dir);
    expect(existsSync(ran)).toBe(true);
    expect(result.stdout).toBe("Electron: binary installed — npm start opens the tray app\n");
    expect(result.status).toBe(0);
  });

  it("says in one line why the download failed, and exits 0", () => {
    const { dir } = packageWithInstall(OFFLINE);
    const result = runFetch(dir);
    expect(result.stdout).toBe(`${FAILS} (RequestError: getaddrinfo ENOTFOUND github.com) — npm start serves the dashboard instead\n`);
    expect(result.status).toBe(0);
  });

  it("does not trust an install.js that ends 0 without a binary", () => {
    const { dir } = packageWithInstall("process.exit(0);");
    const result = runFetch(dir);
    expect(result.stdout).toMatch(/^Electron: could not fetch the binary \(Electron's binary is not installed \(.*dist is missing: the download was skipped or failed\)\) — npm start serves the dashboard instead\n$/);
    expect(result.status).toBe(0);
  });

  it("ends a download that does not answer at the time limit, and says so", () => {
    const { dir, ran } = packageWithInstall("setInterval(() => {}, 1000);");
    const result = runFetch(dir, ["--timeout", "1"]);
    expect(result.stdout).toBe(`${FAILS} (no answer within 1 s) — npm start serves the dashboard instead\n`);
    expect(result.status).toBe(0);
    const pid = Number(readFileSync(ran, "utf8"));
    expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
  });
});

describe("scripts/setup's Electron step", () => {
  it("tries the download once and still succeeds when it fails", () => {
    const { dir, ran } = packageWithInstall(OFFLINE);
    const result = runSetup(dir, []);
    expect(existsSync(ran)).toBe(true);
    expect(result.stdout.split("\n").filter((l) => l.startsWith("Electron:"))).toEqual([`${FAILS} (RequestError: getaddrinfo ENOTFOUND github.com) — npm start serves the dashboard instead`]);
    expect(result.status).toBe(0);
  });

  for (const [label, args, env, why] of [
    ["on CI", [], { CI: "true" }, "CI is set"],
    ["with OTTO_SKIP_ELECTRON=1", [], { OTTO_SKIP_ELECTRON: "1" }, "OTTO_SKIP_ELECTRON=1"],
    ["with --tests (what .ci/run runs)", ["--tests"], {}, "--tests"],
  ] as const) {
    it(`does not try the download ${label}, and says so`, () => {
      const { dir, ran } = packageWithInstall(INSTALLS);
      const result = runSetup(dir, [...args], env);
      expect(existsSync(ran)).toBe(false);
      expect(result.stdout.split("\n").filter((l) => l.startsWith("Electron:"))).toEqual([expect.stringContaining(`Electron: binary not fetched (${why})`)]);
      expect(result.status).toBe(0);
    });
  }
});

// The app's preferences file, with real files: a bad key falls back alone and is named; a save writes only what the
// person changed, into the file as it is on disk now, and refuses (writing nothing) rather than lose anything.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "../../test-support/temp";
import { readPrefsFile, writePrefsFile } from "./prefs-store";

function prefsFile(value?: unknown): string {
  const file = join(makeTempDir("otto-prefs-store-"), "preferences.json");
  if (value !== undefined) writeFileSync(file, typeof value === "string" ? value : JSON.stringify(value, null, 2));
  return file;
}

const onDisk = (file: string): unknown => JSON.parse(readFileSync(file, "utf8"));

describe("readPrefsFile", () => {
  it("keeps every valid setting when one key is unknown or invalid, and names each bad key with the allowed range", () => {
    const file = prefsFile({ quorumSize: 3, hungAfterSecs: 900, quorumCooldownSeconds: -5, repo: "/r", notifications: { minIntervalSeconds: 120 } });
    const read = readPrefsFile(file);
    expect(read.problem).toBeNull();
    expect(read.prefs).toMatchObject({ quorumSize: 3, quorumCooldownSeconds: 900, repo: "/r", notifications: { minIntervalSeconds: 120 } });
    expect(read.problems).toEqual([
      `${file}: hungAfterSecs: unknown key, ignored (did you mean hungAfterSeconds?)`,
      `${file}: quorumCooldownSeconds: must be a whole number of seconds from 0 to 86400 (it is -5); using the default, 900`,
    ]);
  });

  it("falls back to the safe value for a bad actuator key (an empty allowlist), keeping the section's valid keys", () => {
    const read = readPrefsFile(prefsFile({ actuator: { autoAllowlist: [{ program: "npm", options: { "--x": "anything" } }], blocklist: ["curl"] } }));
    expect(read.prefs.actuator).toMatchObject({ autoAllowlist: [], blocklist: ["curl"] });
    expect(read.problems.join("\n")).toMatch(/actuator\.autoAllowlist.*the actuator answers nothing until it is fixed/);
  });

  it("keeps stale and moves hung up to it when hung comes before stale, naming both", () => {
    const read = readPrefsFile(prefsFile({ staleAfterSeconds: 700, hungAfterSeconds: 650 }));
    expect(read.prefs).toMatchObject({ staleAfterSeconds: 700, hungAfterSeconds: 700 });
    expect(read.problems.join("\n")).toMatch(/hungAfterSeconds: must be at least Stale after \(staleAfterSeconds, now 700 s\)/);
  });

  it("names at most 20 bad keys, then says how many more (a banner stays short)", () => {
    const read = readPrefsFile(prefsFile(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`typo${i}`, i]))));
    expect(read.problems).toHaveLength(21);
    expect(read.problems.at(-1)).toMatch(/and 10 more keys not used as written$/);
  });

  it("reads a file that is not JSON as the defaults, with the whole file named", () => {
    const read = readPrefsFile(prefsFile("{ quorumSize: "));
    expect(read.prefs.quorumSize).toBe(2);
    expect(read.problem).toMatch(/is not valid JSON.*every setting is its default/);
  });
});

describe("writePrefsFile", () => {
  // What the form started from: the service's copy when it opened (every default filled in).
  const formCopy = (file: string) => readPrefsFile(file).prefs as unknown as Record<string, unknown>;

  it("writes only the changed key into the file as it is now: a hand edit made meanwhile and unknown keys stay", () => {
    const file = prefsFile({ poolSize: 2, futureKey: { kept: true } });
    const base = formCopy(file);
    // A hand edit while the form is open.
    writeFileSync(file, JSON.stringify({ poolSize: 2, futureKey: { kept: true }, quorumCooldownSeconds: 123 }));
    const result = writePrefsFile(file, base, { ...base, quorumSize: 3 });
    expect(result.ok).toBe(true);
    const written = onDisk(file);
    expect(written).toEqual({ poolSize: 2, futureKey: { kept: true }, quorumCooldownSeconds: 123, quorumSize: 3 });
    expect(Object.keys(written as object)).toEqual(["poolSize", "futureKey", "quorumCooldownSeconds", "quorumSize"]);
  });

  it("writes no defaults into a new file: only what the person set", () => {
    const file = prefsFile();
    const base = formCopy(file);
    expect(writePrefsFile(file, base, { ...base, briefAckEscalateAfter: 4, notifications: { minIntervalSeconds: 90 } }).ok).toBe(true);
    expect(onDisk(file)).toEqual({ briefAckEscalateAfter: 4, notifications: { minIntervalSeconds: 90 } });
  });

  it("refuses, naming the key, when the file changed the same key to another value since the form opened; nothing is written", () => {
    const file = prefsFile({ quorumCooldownSeconds: 600 });
    const base = formCopy(file);
    const handEdited = JSON.stringify({ quorumCooldownSeconds: 123 });
    writeFileSync(file, handEdited);
    const result = writePrefsFile(file, base, { ...base, quorumCooldownSeconds: 300 });
    expect(result).toEqual({ ok: false, errors: { quorumCooldownSeconds: expect.stringMatching(/changed in the file to 123 after this form was opened/) } });
    expect(readFileSync(file, "utf8")).toBe(handEdited);
    // The same value on both sides is no conflict.
    expect(writePrefsFile(file, base, { ...base, quorumCooldownSeconds: 123 }).ok).toBe(true);
  });

  it("takes a surface written as its bare id for the same surface as its object: no conflict, and the file keeps what it is given", () => {
    const file = prefsFile({ poolSize: 2 });
    // The form sends surfaces as the file would say them (bare ids) while the file holds none (the defaults, as objects).
    const base = { ...formCopy(file), surfaces: ["otto-cli", "otto-desktop", "otto-launchd"] };
    expect(writePrefsFile(file, base, { ...base, surfaces: ["otto-cli", "otto-desktop", "build-box"] })).toMatchObject({ ok: true });
    expect(onDisk(file)).toEqual({ poolSize: 2, surfaces: ["otto-cli", "otto-desktop", "build-box"] });
  });

  it("refuses to save over a file that is not JSON (it would be lost)", () => {
    const file = prefsFile("{ quorumSize: 3, ");
    const base = formCopy(file);
    const result = writePrefsFile(file, base, { ...base, poolSize: 4 });
    expect(result).toEqual({ ok: false, errors: { "(file)": expect.stringMatching(/not valid JSON.*nothing was saved/) } });
    expect(readFileSync(file, "utf8")).toBe("{ quorumSize: 3, ");
  });

  it("keeps an invalid key the person did not touch as it is in the file", () => {
    const file = prefsFile({ quorumSize: 99, poolSize: 2 });
    const base = formCopy(file);
    expect(writePrefsFile(file, base, { ...base, poolSize: 4 }).ok).toBe(true);
    expect(onDisk(file)).toEqual({ quorumSize: 99, poolSize: 4 });
  });

  it("names the field and the allowed range in the person's words", () => {
    const file = prefsFile();
    const base = formCopy(file);
    expect(writePrefsFile(file, base, { ...base, quorumSize: 1, poolSize: "three", baseRef: 5 })).toEqual({
      ok: false,
      errors: { quorumSize: "must be a whole number from 2 to 16", poolSize: "must be a whole number from 1 to 8", baseRef: "must be text in quotes" },
    });
    expect(writePrefsFile(file, base, { ...base, staleAfterSeconds: 900 })).toEqual({
      ok: false,
      errors: { staleAfterSeconds: "must be at most Hung after (hungAfterSeconds, now 600 s): a surface is stale before it is hung" },
    });
  });
});

// The IPC guard against hostile renderers: call names, argument validation and the sender's frame URL.
import { describe, expect, it } from "vitest";
import { IPC, isOwnFrame, parseCall } from "./ipc-guard";

const INDEX = "file:///app/dist/renderer/index.html";

describe("parseCall", () => {
  it("accepts a known call with valid arguments and hands on the schema's output", () => {
    expect(parseCall("unstickPlan", { surface: "otto-cli" })).toEqual({ ok: true, name: "unstickPlan", args: { surface: "otto-cli" } });
    expect(parseCall("autoOn", { hours: 1, confirm: true })).toEqual({ ok: true, name: "autoOn", args: { hours: 1, confirm: true } });
  });

  it("treats missing arguments as none, like an empty HTTP body", () => {
    expect(parseCall("snapshot", undefined)).toEqual({ ok: true, name: "snapshot", args: {} });
    expect(parseCall("audit", undefined)).toEqual({ ok: true, name: "audit", args: {} });
  });

  it("refuses unknown names with 404", () => {
    expect(parseCall("deleteEverything", {})).toMatchObject({ ok: false, status: 404, error: 'no API call "deleteEverything"' });
    expect(parseCall("", {})).toMatchObject({ ok: false, status: 404 });
    expect(parseCall("Snapshot", {})).toMatchObject({ ok: false, status: 404 });
  });

  it("refuses prototype names: only the API's own calls exist", () => {
    for (const name of ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "__defineGetter__", "isPrototypeOf"]) {
      expect(parseCall(name, {}), name).toMatchObject({ ok: false, status: 404 });
    }
  });

  it("refuses names that are not strings with 400 naming the name", () => {
    for (const name of [undefined, null, 1, true, {}, ["snapshot"], Symbol("snapshot"), { toString: () => "snapshot" }]) {
      expect(parseCall(name, {}), String(typeof name)).toMatchObject({ ok: false, status: 400, field: "(name)" });
    }
  });

  it("does not echo a huge name back whole", () => {
    const result = parseCall("x".repeat(1_000_000), {});
    expect(result).toMatchObject({ ok: false, status: 404 });
    expect(!result.ok && result.error.length).toBeLessThan(120);
  });

  it("refuses extra fields, naming them", () => {
    expect(parseCall("snapshot", { extra: 1 })).toMatchObject({ ok: false, status: 400 });
    const r = parseCall("unstickPlan", { surface: "otto-cli", keys: "y" });
    expect(r).toMatchObject({ ok: false, status: 400 });
    expect(!r.ok && r.error).toMatch(/keys/);
    // An object with a foreign prototype is not plain data: refused rather than trusted.
    expect(parseCall("actuatorOn", { confirm: true, __proto__: { admin: true } })).toMatchObject({ ok: false, status: 400 });
    expect(parseCall("actuatorOn", JSON.parse('{"confirm":true,"__proto__":{"admin":true}}'))).toMatchObject({ ok: false, status: 400 });
  });

  it("refuses wrong types and values, naming the field", () => {
    expect(parseCall("unstickPlan", { surface: 5 })).toMatchObject({ ok: false, status: 400, field: "surface" });
    expect(parseCall("unstickPlan", { surface: "../../etc" })).toMatchObject({ ok: false, status: 400, field: "surface" });
    expect(parseCall("actuatorOn", { confirm: "true" })).toMatchObject({ ok: false, status: 400, field: "confirm" });
    expect(parseCall("actuatorOn", {})).toMatchObject({ ok: false, status: 400, field: "confirm" });
    expect(parseCall("autoOn", { hours: 100, confirm: true })).toMatchObject({ ok: false, status: 400, field: "hours" });
    expect(parseCall("autoOn", { hours: Number.NaN, confirm: true })).toMatchObject({ ok: false, status: 400, field: "hours" });
    expect(parseCall("audit", { limit: 1.5 })).toMatchObject({ ok: false, status: 400, field: "limit" });
    expect(parseCall("snapshot", null)).toMatchObject({ ok: false, status: 400 });
    expect(parseCall("snapshot", "{}")).toMatchObject({ ok: false, status: 400 });
    expect(parseCall("snapshot", [])).toMatchObject({ ok: false, status: 400 });
  });

  it("refuses huge strings and oversized or non-JSON arguments", () => {
    expect(parseCall("unstickConfirm", { planId: "p".repeat(10_000) })).toMatchObject({ ok: false, status: 400, field: "planId" });
    expect(parseCall("unstickConfirm", { planId: "p".repeat(300_000) })).toMatchObject({ ok: false, status: 400, field: "(arguments)" });
    expect(parseCall("prefsSet", { prefs: { blob: "x".repeat(300_000) } })).toMatchObject({ ok: false, status: 400, field: "(arguments)" });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(parseCall("prefsSet", { prefs: cyclic })).toMatchObject({ ok: false, status: 400, field: "(arguments)" });
    expect(parseCall("audit", { limit: 10n })).toMatchObject({ ok: false, status: 400, field: "(arguments)" });
  });

  it("names the channels the preload uses", () => {
    expect(IPC).toEqual({ call: "otto:call", snapshot: "otto:snapshot", focusSurface: "otto:focus-surface" });
  });
});

describe("isOwnFrame", () => {
  it("accepts our renderer's index with any hash or query", () => {
    expect(isOwnFrame(INDEX, INDEX)).toBe(true);
    expect(isOwnFrame(`${INDEX}#/preferences`, INDEX)).toBe(true);
    expect(isOwnFrame(`${INDEX}?surface=otto-cli#/`, INDEX)).toBe(true);
  });

  it("accepts a path with spaces as Chromium reports it (percent-encoded)", () => {
    const index = "file:///Applications/Otto Tray.app/Contents/Resources/app.asar/dist/renderer/index.html";
    expect(isOwnFrame("file:///Applications/Otto%20Tray.app/Contents/Resources/app.asar/dist/renderer/index.html#/", index)).toBe(true);
  });

  it("refuses a missing or empty frame URL", () => {
    expect(isOwnFrame(undefined, INDEX)).toBe(false);
    expect(isOwnFrame("", INDEX)).toBe(false);
  });

  it("refuses other files, including ones that share our prefix", () => {
    for (const url of [
      "file:///app/dist/renderer/index.html.evil",
      "file:///app/dist/renderer/index.htm",
      "file:///app/dist/renderer/index.html/evil.html",
      "file:///app/dist/renderer/other.html",
      "file:///app/dist/renderer/",
      "file:///app/dist/renderer/../evil/index.html",
      "file:///app/dist/renderer/%2e%2e/renderer-evil/index.html",
      "file:///app/dist/renderer/index%2Ehtml",
      "file:///app/dist/renderer/%69ndex.html",
      "file:///app/dist/renderer/index.html%00",
      "file:///tmp/index.html",
      "file://evil.example/app/dist/renderer/index.html",
    ]) {
      expect(isOwnFrame(url, INDEX), url).toBe(false);
    }
  });

  it("refuses web pages, devtools, blank and malformed URLs", () => {
    for (const url of [
      "http://127.0.0.1:5173/index.html",
      "https://app/dist/renderer/index.html",
      "devtools://devtools/bundled/devtools_app.html",
      "about:blank",
      "about:srcdoc",
      "data:text/html,<script>1</script>",
      "javascript:alert(1)",
      "chrome-extension://abc/index.html",
      "not a url",
      "/app/dist/renderer/index.html",
    ]) {
      expect(isOwnFrame(url, INDEX), url).toBe(false);
    }
  });

  it("accepts ../ segments only when they resolve to our own index", () => {
    expect(isOwnFrame("file:///app/dist/other/../renderer/index.html", INDEX)).toBe(true);
  });

  it("refuses everything when our own index is not a file: URL", () => {
    expect(isOwnFrame("http://localhost:5173/", "http://localhost:5173/")).toBe(false);
    expect(isOwnFrame(INDEX, "garbage")).toBe(false);
  });
});

// A machine's inbox prefix and its one subscribe permission agree, and no host can widen them with '.', '*' or '>'.
import { describe, expect, it } from "vitest";
import { machinePermissions } from "./authorization";
import { bridgeHostName, hostNameFrom } from "./host-name";
import { inboxPrefixOf } from "./inbox-prefix";

describe("a machine's inbox prefix", () => {
  it("is _INBOX_<host>, and the machine's user may subscribe to that prefix only", () => {
    expect(inboxPrefixOf("mac-a")).toBe("_INBOX_mac-a");
    expect(machinePermissions("mac-a").subscribe).toEqual(["_INBOX_mac-a.>"]);
    // The bridge's host, however it was derived, is one the prefix takes.
    for (const host of [bridgeHostName(undefined, "Mac.local"), bridgeHostName(undefined, "a.*.>"), bridgeHostName("build-2", "ignored")]) {
      expect(machinePermissions(host).subscribe).toEqual([`${inboxPrefixOf(host)}.>`]);
    }
    expect(hostNameFrom("a.*.>")).toBe("a");
  });

  it("refuses a host that could bring a subject separator or wildcard in", () => {
    for (const host of ["mac.a", "*", ">", "mac-*", "mac>", "", "Mac-A", "mac a", "a".repeat(65)]) {
      expect(() => inboxPrefixOf(host), host).toThrow(/is not a host id/);
      expect(() => machinePermissions(host), host).toThrow(/is not a host id/);
    }
  });
});

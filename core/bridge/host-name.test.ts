// The bridge's host names: every hostname becomes a key part that fits the surface-id pattern, or is refused by name.
import { describe, expect, it } from "vitest";
import { bridgeHostName, hostNameFrom } from "./host-name";

describe("bridge host names", () => {
  it("fits hostnames to the surface-id pattern", () => {
    expect(hostNameFrom("mac.local")).toBe("mac-local");
    expect(hostNameFrom("Dev's MacBook Pro (2)")).toBe("dev-s-macbook-pro-2");
    expect(hostNameFrom("build_server.example.com")).toBe("build-server-example-com");
    expect(hostNameFrom("--x--")).toBe("x");
    expect(hostNameFrom(`${"a".repeat(63)}.b`)).toBe("a".repeat(63));
    expect(hostNameFrom("…")).toBeUndefined();
  });

  it("takes --host as given when it is a valid id, refuses one that is not, and falls back to the machine's name", () => {
    expect(bridgeHostName("laptop-2", "ignored")).toBe("laptop-2");
    expect(() => bridgeHostName("Laptop.2", "ignored")).toThrow(/--host: "Laptop.2" is not a valid id/);
    expect(bridgeHostName(undefined, "Mac.local")).toBe("mac-local");
    expect(() => bridgeHostName(undefined, "…")).toThrow(/this machine's hostname/);
  });
});

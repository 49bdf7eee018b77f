// Which surface a session belongs to: the person's rules, then the defaults for the three Otto surfaces.
import { describe, expect, it } from "vitest";
import { DEFAULT_SURFACE_IDS } from "../ids";
import { surfaceOfSession } from "./surface-rules";

const watched = new Set<string>(DEFAULT_SURFACE_IDS);
const session = (fields: { entrypoint?: string; kind?: string; cwd?: string; name?: string }) => ({ cwd: "/home/me/repo", ...fields });

describe("session surface rules", () => {
  it("defaults: cli is otto-cli, sdk-cli is otto-launchd, any other entrypoint (Claude Desktop's) is otto-desktop", () => {
    expect(surfaceOfSession(session({ entrypoint: "cli" }), [], watched)).toBe("otto-cli");
    expect(surfaceOfSession(session({ entrypoint: "sdk-cli" }), [], watched)).toBe("otto-launchd");
    expect(surfaceOfSession(session({ entrypoint: "claude-desktop" }), [], watched)).toBe("otto-desktop");
  });

  it("the person's rules come first; every field given must match; cwdPrefix stops at a path boundary", () => {
    const rules = [
      { surface: "zeta", cwdPrefix: "/home/me/zeta/" },
      { surface: "nightly", entrypoint: "sdk-cli", kind: "interactive", name: "night" },
    ];
    const all = new Set([...watched, "zeta", "nightly"]);
    expect(surfaceOfSession(session({ entrypoint: "cli", cwd: "/home/me/zeta" }), rules, all)).toBe("zeta");
    expect(surfaceOfSession(session({ entrypoint: "cli", cwd: "/home/me/zeta/sub" }), rules, all)).toBe("zeta");
    expect(surfaceOfSession(session({ entrypoint: "cli", cwd: "/home/me/zetamax" }), rules, all)).toBe("otto-cli");
    expect(surfaceOfSession(session({ entrypoint: "sdk-cli", kind: "interactive", name: "night" }), rules, all)).toBe("nightly");
    expect(surfaceOfSession(session({ entrypoint: "sdk-cli", kind: "interactive", name: "day" }), rules, all)).toBe("otto-launchd");
  });

  it("a session whose surface is not watched is one of the other sessions (null)", () => {
    expect(surfaceOfSession(session({ entrypoint: "cli" }), [], new Set(["otto-desktop"]))).toBeNull();
    expect(surfaceOfSession(session({ entrypoint: "cli" }), [{ surface: "ghost" }], watched)).toBeNull();
  });
});

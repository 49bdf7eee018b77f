// The page's own CSP (a meta tag, for the app's file:// windows) says what serve's header says.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PAGE_CSP } from "./static-files";

describe("the renderer page's Content-Security-Policy meta tag", () => {
  it("is serve's header policy without frame-ancestors (which a meta tag cannot carry)", () => {
    const html = readFileSync(new URL("../../renderer/index.html", import.meta.url), "utf8");
    const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    const directives = (policy: string) => policy.split(";").map((d) => d.trim()).filter((d) => d !== "" && !d.startsWith("frame-ancestors")).sort();
    expect(meta).toBeDefined();
    expect(directives(meta ?? "")).toEqual(directives(PAGE_CSP));
  });
});

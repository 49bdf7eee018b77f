// The confirmation page's file is private to the person, holds the page exactly, and is gone after dispose.
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { writeConfirmPage } from "./confirm-window-file";

describe("writeConfirmPage", () => {
  it("writes the page owner-only under a file: URL and removes it on dispose", () => {
    const html = "<!doctype html><p>rm -rf ~ <mark>␛</mark></p>";
    const page = writeConfirmPage(html);
    const file = fileURLToPath(page.url);
    expect(page.url).toMatch(/^file:\/\//);
    expect(readFileSync(file, "utf8")).toBe(html);
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(statSync(dirname(file)).mode & 0o077).toBe(0);
    page.dispose();
    expect(existsSync(dirname(file))).toBe(false);
  });
});

// The headless terminal keeps what a person sees: cursor moves and clears applied, colours gone.
import { describe, expect, it } from "vitest";
import { ScreenBuffer } from "./screen-buffer";

describe("ScreenBuffer", () => {
  it("applies escape sequences the way a terminal does", async () => {
    const screen = new ScreenBuffer(40, 5);
    screen.write("\u001b[31mhello\u001b[0m world\r\nsecond line\u001b[1;1Hjello");
    await screen.settled();
    expect(screen.text().split("\n").slice(0, 2)).toEqual(["jello world", "second line"]);
    screen.write("\u001b[2J\u001b[H❯ 1. Yes");
    await screen.settled();
    expect(screen.text().split("\n")[0]).toBe("❯ 1. Yes");
    screen.dispose();
  });
});

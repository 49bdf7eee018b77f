// Mistyped command names get the closest known one, and only when it is close.
import { describe, expect, it } from "vitest";
import { closestName } from "./suggest";

const COMMANDS = ["status", "detect", "heartbeat", "hook", "hooks", "bus", "pool", "list", "clean"];

describe("closestName", () => {
  it.each([
    ["stauts", "status"],
    ["statu", "status"],
    ["detcet", "detect"],
    ["hearbeat", "heartbeat"],
    ["pol", "pool"],
    ["hoks", "hooks"],
    ["lsit", "list"],
  ])("%s → %s", (typed, expected) => {
    expect(closestName(typed, COMMANDS)).toBe(expected);
  });

  it("suggests nothing for a word that is far from every command", () => {
    expect(closestName("frobnicate", COMMANDS)).toBeUndefined();
    expect(closestName("x", COMMANDS)).toBeUndefined();
  });
});

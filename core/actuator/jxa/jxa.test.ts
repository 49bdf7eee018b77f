// The real JXA script text (native-scripts/) run against a simulated System Events model: listing, recognising and
// pressing Claude Desktop's prompt, and every case where nothing may be pressed.
import { describe, expect, it } from "vitest";
import { findDesktopPrompt, type UiListing } from "./desktop-prompt";
import { type SimElement, type SimModel, simulatedRunner } from "./simulated-system-events";

function desktopModel(): SimModel {
  const prompt: SimElement[] = [
    { role: "AXHeading", name: "Claude wants to use Bash" },
    { role: "AXStaticText", value: "npm test" },
    { role: "AXButton", name: "Deny" },
    { role: "AXButton", name: "Allow for This Chat" },
    { role: "AXButton", title: "Allow once" },
  ];
  return {
    accessibility: true,
    clicks: [],
    processes: [
      { name: "Finder", windows: [{ name: "Desktop", children: [{ role: "AXButton", name: "Allow once" }] }] },
      {
        name: "Claude",
        windows: [
          {
            name: "Claude",
            children: [{ role: "AXGroup", children: [{ role: "AXWebArea", children: [{ role: "AXGroup", children: prompt }, { role: "AXButton", name: "New chat" }] }] }],
          },
        ],
      },
    ],
  };
}

async function plan(model: SimModel) {
  const listing = (await simulatedRunner(model).run("list-ui", { app: "Claude" })) as UiListing;
  const prompt = findDesktopPrompt(listing);
  if ("none" in prompt) throw new Error(prompt.none);
  const once = prompt.options.find((o) => o.meaning === "allow-once");
  if (once === undefined) throw new Error("no allow-once");
  return { prompt, press: { app: "Claude", window: prompt.window, button: { name: once.label, path: once.path }, requireTexts: prompt.texts } };
}

describe("JXA scripts on a simulated System Events", () => {
  it("lists the prompt inside the web area and presses 'Allow once' by its label", async () => {
    const model = desktopModel();
    const { prompt, press } = await plan(model);
    expect(prompt.texts).toEqual(["Claude wants to use Bash", "npm test"]);
    expect(prompt.options.map((o) => [o.label, o.meaning])).toEqual([
      ["Deny", "deny"],
      ["Allow for This Chat", "allow-always"],
      ["Allow once", "allow-once"],
    ]);
    expect(await simulatedRunner(model).run("press-button", press)).toEqual({ ok: true, pressed: "Allow once" });
    expect(model.clicks).toEqual([{ app: "Claude", window: "Claude", button: "Allow once" }]);
  });

  it("presses nothing when the button disappeared, moved or was replaced", async () => {
    const model = desktopModel();
    const { press } = await plan(model);
    const group = model.processes[1]?.windows[0]?.children[0]?.children?.[0]?.children?.[0];
    group?.children?.pop();
    expect(await simulatedRunner(model).run("press-button", press)).toMatchObject({ ok: false, reason: "button-gone" });
    group?.children?.push({ role: "AXButton", name: "Deny" });
    expect(await simulatedRunner(model).run("press-button", press)).toMatchObject({ ok: false, reason: "button-gone" });
    expect(model.clicks).toEqual([]);
  });

  it("presses nothing when the window changed or the prompt's text did", async () => {
    const model = desktopModel();
    const { press } = await plan(model);
    const window = model.processes[1]?.windows[0];
    if (window) window.name = "Other chat";
    expect(await simulatedRunner(model).run("press-button", press)).toMatchObject({ ok: false, reason: "window-changed" });
    if (window) window.name = "Claude";
    const text = model.processes[1]?.windows[0]?.children[0]?.children?.[0]?.children?.[0]?.children?.[1];
    if (text) text.value = "rm -rf ~";
    expect(await simulatedRunner(model).run("press-button", press)).toMatchObject({ ok: false, reason: "prompt-changed" });
    expect(model.clicks).toEqual([]);
  });

  it("says the app is not running, or that the Accessibility permission is missing", async () => {
    const model = desktopModel();
    const { press } = await plan(model);
    model.processes.splice(1, 1);
    expect(await simulatedRunner(model).run("list-ui", { app: "Claude" })).toMatchObject({ ok: true, running: false });
    expect(await simulatedRunner(model).run("press-button", press)).toMatchObject({ ok: false, reason: "not-running" });
    const locked = { ...desktopModel(), accessibility: false };
    expect(await simulatedRunner(locked).run("list-ui", { app: "Claude" })).toMatchObject({ ok: false, reason: "accessibility" });
    expect(await simulatedRunner(locked).run("press-button", press)).toMatchObject({ ok: false, reason: "accessibility" });
    expect(locked.clicks).toEqual([]);
  });

  it("rejects bad arguments without touching System Events", async () => {
    const model = desktopModel();
    expect(await simulatedRunner(model).run("press-button", { app: "Claude" })).toMatchObject({ ok: false, reason: "bad-arguments" });
    // A hostile string is data, not code: it is never evaluated.
    expect(await simulatedRunner(model).run("list-ui", { app: '"); model.clicks.push(1); ("' })).toMatchObject({ ok: true, running: false });
    expect(model.clicks).toEqual([]);
  });

  it("a window without both Allow once and Deny, or two prompts, is not a prompt", () => {
    const base: UiListing = { ok: true, running: true, truncated: false, windows: [] };
    const win = (index: number, buttons: string[]) => ({ index, name: `w${index}`, texts: [], buttons: buttons.map((name, i) => ({ name, path: [i] })) });
    expect(findDesktopPrompt({ ...base, windows: [win(0, ["Allow once"])] })).toHaveProperty("none");
    expect(findDesktopPrompt({ ...base, windows: [win(0, ["Allow once", "Deny"]), win(1, ["Allow once", "Deny"])] })).toHaveProperty("none");
    expect(findDesktopPrompt({ ...base, truncated: true, windows: [win(0, ["Allow once", "Deny"])] })).toHaveProperty("none");
    expect(findDesktopPrompt({ ...base, windows: [win(0, ["Allow once", "Deny"])] })).toHaveProperty("options");
  });
});

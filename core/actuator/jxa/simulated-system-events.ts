// A simulated System Events object model for running the real JXA script text in Node: processes → windows →
// nested UI elements with roles and labels; click() records what was pressed. Only for tests and demos.
import { runInNewContext } from "node:vm";
import type { JxaRunner } from "./runner";
import { jxaProgram } from "./script-text";

export interface SimElement {
  role: string;
  name?: string;
  title?: string;
  description?: string;
  value?: string;
  children?: SimElement[];
}

export interface SimWindow {
  name: string;
  children: SimElement[];
}

export interface SimModel {
  processes: { name: string; windows: SimWindow[] }[];
  /** False: System Events refuses like a Mac without the Accessibility permission (error -1719). */
  accessibility: boolean;
  /** What was pressed, in order: the app, the window's name and the button's label. */
  clicks: { app: string; window: string; button: string }[];
}

function accessibilityError(): Error {
  return Object.assign(new Error("System Events got an error: osascript is not allowed assistive access."), { errorNumber: -1719 });
}

function specifier(model: SimModel, app: string, window: SimWindow, element: SimElement | SimWindow): Record<string, unknown> {
  const guard = <T>(value: () => T) => () => {
    if (!model.accessibility) throw accessibilityError();
    return value();
  };
  const el = element as SimElement;
  return {
    role: guard(() => el.role ?? "AXWindow"),
    name: guard(() => el.name ?? null),
    title: guard(() => el.title ?? null),
    description: guard(() => el.description ?? null),
    value: guard(() => el.value ?? null),
    uiElements: guard(() => (element.children ?? []).map((child) => specifier(model, app, window, child))),
    click: guard(() => {
      model.clicks.push({ app, window: window.name, button: el.name ?? el.title ?? el.description ?? el.value ?? "" });
    }),
  };
}

function systemEvents(model: SimModel): Record<string, unknown> {
  return {
    processes: {
      whose(filter: { name: string }) {
        return () => {
          if (!model.accessibility) throw accessibilityError();
          return model.processes
            .filter((p) => p.name === filter.name)
            .map((p) => ({ windows: () => p.windows.map((w) => ({ ...specifier(model, p.name, w, w), name: () => w.name })) }));
        };
      },
    },
  };
}

/** A runner that evaluates the same program text osascript would get, against `model`. */
export function simulatedRunner(model: SimModel): JxaRunner {
  return {
    run(script, args) {
      const env: Record<string, string> = { OSA_ARGS: JSON.stringify(args) };
      const context = {
        Application: (name: string) => {
          if (name !== "System Events") throw new Error(`the simulation only models System Events, not ${name}`);
          return systemEvents(model);
        },
        ObjC: { import: () => undefined },
        $: { getenv: (key: string) => env[key] ?? null },
        JSON,
      };
      return Promise.resolve(JSON.parse(String(runInNewContext(jxaProgram(script), context, { timeout: 5_000 }))) as unknown);
    },
  };
}

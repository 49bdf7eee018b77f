// JXA: presses one named button after checking that the window, the prompt's texts and the button are still the
// planned ones. Arguments (JSON, never spliced into script text): { app, window: { index, name }, button: { name,
// path }, requireTexts? }. Returns { ok: true, pressed } or { ok: false, reason: bad-arguments | not-running |
// window-changed | prompt-changed | button-gone | accessibility | automation | error, message }.
"use strict";

function main(args) {
  if (!args || typeof args.app !== "string" || !args.window || !args.button || !Array.isArray(args.button.path)) {
    return { ok: false, reason: "bad-arguments", message: "app, window and button are required" };
  }
  try {
    var process = findProcess(args.app);
    if (process === null) return { ok: false, reason: "not-running", message: args.app + " is not running" };
    var win = process.windows()[args.window.index];
    if (!win || String(win.name() || "") !== args.window.name) return { ok: false, reason: "window-changed", message: "the window is not the planned one" };
    var required = Array.isArray(args.requireTexts) ? args.requireTexts : [];
    if (required.length > 0) {
      var texts = [];
      walkElements(win, 12, 2000, function (element) {
        var role = elementRole(element);
        if (role === "AXStaticText" || role === "AXHeading") texts.push(elementLabel(element));
      });
      for (var t = 0; t < required.length; t++) {
        if (texts.indexOf(required[t]) < 0) return { ok: false, reason: "prompt-changed", message: "the prompt's text is no longer on screen" };
      }
    }
    var element = win;
    for (var i = 0; i < args.button.path.length; i++) {
      element = element.uiElements()[args.button.path[i]];
      if (!element) return { ok: false, reason: "button-gone", message: "the button is no longer there" };
    }
    if (elementRole(element) !== "AXButton" || elementLabel(element) !== args.button.name) {
      return { ok: false, reason: "button-gone", message: "the element there is not the button " + JSON.stringify(args.button.name) };
    }
    element.click();
    return { ok: true, pressed: args.button.name };
  } catch (e) {
    return describeFailure(e);
  }
}

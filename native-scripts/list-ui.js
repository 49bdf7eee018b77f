// JXA: lists the windows of one app with their static texts and buttons. Arguments (JSON, never spliced into
// script text): { app, maxDepth?, maxElements? }. Returns { ok: true, running, windows: [{ index, name, texts,
// buttons: [{ name, path }] }], truncated } or { ok: false, reason, message }.
"use strict";

function main(args) {
  if (!args || typeof args.app !== "string") return { ok: false, reason: "bad-arguments", message: "app is required" };
  var maxDepth = typeof args.maxDepth === "number" ? args.maxDepth : 12;
  var maxElements = typeof args.maxElements === "number" ? args.maxElements : 2000;
  try {
    var process = findProcess(args.app);
    if (process === null) return { ok: true, running: false, windows: [], truncated: false };
    var windows = process.windows();
    var out = [];
    var truncated = false;
    for (var w = 0; w < windows.length; w++) {
      var listing = { index: w, name: String(windows[w].name() || ""), texts: [], buttons: [] };
      truncated =
        walkElements(windows[w], maxDepth, maxElements, function (element, path) {
          var role = elementRole(element);
          if (role === "AXButton") listing.buttons.push({ name: elementLabel(element), path: path });
          else if (role === "AXStaticText" || role === "AXHeading") {
            var text = elementLabel(element);
            if (text) listing.texts.push(text);
          }
        }) || truncated;
      out.push(listing);
    }
    return { ok: true, running: true, windows: out, truncated: truncated };
  } catch (e) {
    return describeFailure(e);
  }
}

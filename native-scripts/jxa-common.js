// JXA helpers shared by the scripts here; the runner puts this text before each script (osascript has no imports).
"use strict";

// Web content puts a button's words in its name, title, description or value, depending on the app.
function elementLabel(element) {
  var candidates = ["name", "title", "description", "value"];
  for (var i = 0; i < candidates.length; i++) {
    try {
      var value = element[candidates[i]]();
      if (value !== null && value !== undefined && String(value) !== "") return String(value);
    } catch (e) {
      // Not every element answers every attribute.
    }
  }
  return "";
}

function elementRole(element) {
  try {
    return String(element.role() || "");
  } catch (e) {
    return "";
  }
}

// The running process named `app`, or null.
function findProcess(app) {
  var matches = Application("System Events").processes.whose({ name: app })();
  return matches.length === 0 ? null : matches[0];
}

// Depth-first over uiElements(), calling visit(child, path) for each; stops at maxDepth or after maxElements.
function walkElements(element, maxDepth, maxElements, visit) {
  var count = 0;
  function walk(node, path, depth) {
    if (depth > maxDepth || count >= maxElements) return;
    var children = node.uiElements();
    for (var i = 0; i < children.length && count < maxElements; i++) {
      count++;
      var childPath = path.concat([i]);
      visit(children[i], childPath);
      walk(children[i], childPath, depth + 1);
    }
  }
  walk(element, [], 0);
  return count >= maxElements;
}

// -1719 / -25211: System Events is not allowed assistive access (the Accessibility permission is missing).
function describeFailure(e) {
  var message = String((e && e.message) || e);
  var number = e && e.errorNumber;
  if (number === -1719 || number === -25211 || /assistive access|accessibility/i.test(message)) {
    return { ok: false, reason: "accessibility", message: message };
  }
  if (number === -1743 || /not authori[sz]ed to send apple events/i.test(message)) {
    return { ok: false, reason: "automation", message: message };
  }
  return { ok: false, reason: "error", message: message };
}

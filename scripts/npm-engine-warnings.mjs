// Drops npm's EBADENGINE warnings for the packages known to be harmless on Node 20, and nothing else; one line per reason.
// @electron/rebuild 4.x and node-abi 4.x (electron-builder's native-module rebuild; no release of either supports Node 20)
// ask for Node >= 22.12. Packaging never runs that rebuild (electron-builder.cjs: npmRebuild: false; the package checks
// pass -c.npmRebuild=false), so their warnings say nothing about this project. @nats-io/nuid 3.x (the NATS client's id
// generator) declares Node 22 but uses nothing Node 20 lacks: the bridge's tests run it on Node 20. Every other warning
// is passed on whole.

/** Groups of packages whose engine warning is known to be harmless here, by name (any version), with what they ask and why it does not matter. */
export const HARMLESS_ENGINES = [
  { packages: ["@electron/rebuild", "node-abi"], asks: "Node >= 22.12", why: "only electron-builder's native-module rebuild uses them, and packaging turns it off (npmRebuild: false)" },
  { packages: ["@nats-io/nuid"], asks: "Node >= 22", why: "the NATS client's id generator uses nothing Node 20 lacks (the bridge's tests run it on Node 20)" },
];

/** Packages whose engine warning is known to be harmless here, by name (any version). */
export const HARMLESS_ENGINE_PACKAGES = HARMLESS_ENGINES.flatMap((group) => group.packages);

const WARNING = /^npm warn EBADENGINE /i;
const BLOCK_START = /^npm warn EBADENGINE Unsupported engine \{\s*$/i;
const BLOCK_END = /^npm warn EBADENGINE \}\s*$/i;
const PACKAGE = /^npm warn EBADENGINE\s+package: '((?:@[^/@']+\/)?[^@']+)@([^']*)'/i;

/**
 * A line filter for npm's stderr: `push(line)` returns the lines to pass on now (a warning block is held until its end),
 * `end()` returns what is still held (an unfinished block is passed on whole), `dropped` lists the packages whose warning
 * was dropped ("name@version").
 */
export function engineWarningFilter(harmless = HARMLESS_ENGINE_PACKAGES) {
  let held = [];
  const dropped = [];
  return {
    dropped,
    push(line) {
      if (held.length === 0) {
        if (!BLOCK_START.test(line)) return [line];
        held = [line];
        return [];
      }
      if (!WARNING.test(line)) {
        // Not the block's shape after all: pass everything on as it came.
        const out = [...held, line];
        held = [];
        return out;
      }
      held.push(line);
      if (!BLOCK_END.test(line)) return [];
      const block = held;
      held = [];
      const match = block.map((l) => PACKAGE.exec(l)).find(Boolean);
      if (match && harmless.includes(match[1])) {
        dropped.push(`${match[1]}@${match[2]}`);
        return [];
      }
      return block;
    },
    end() {
      const out = held;
      held = [];
      return out;
    },
  };
}

/** The lines that replace the dropped warnings (one per reason; "name@version" entries), none when none was dropped. */
export function harmlessEngineLines(dropped, nodeVersion = process.version) {
  const nameOf = (entry) => entry.slice(0, entry.lastIndexOf("@"));
  return HARMLESS_ENGINES.map((group) => ({ group, entries: dropped.filter((entry) => group.packages.includes(nameOf(entry))) }))
    .filter(({ entries }) => entries.length > 0)
    .map(({ group, entries }) => `npm: ${entries.join(" and ")} ask${entries.length === 1 ? "s" : ""} for ${group.asks} (this is ${nodeVersion}); harmless: ${group.why}`);
}

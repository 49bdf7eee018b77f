// electron-builder configuration: macOS dmg + zip per arch (the release), and the Linux `dir` build `npm run package:check` inspects offline.
const { existsSync } = require("node:fs");
const { join } = require("node:path");

// Another part of the project draws the icon; until build/icon.png exists, electron-builder's default icon is used.
const icon = existsSync(join(__dirname, "build", "icon.png")) ? "build/icon.png" : undefined;

/** @type {import("electron-builder").Configuration} */
module.exports = {
  appId: "dev.otto.tray",
  productName: "Otto Tray",
  copyright: "Copyright © Otto Tray contributors",
  directories: { output: "release", buildResources: "build" },
  // Only what the app runs: the bundled main/preload, the built UI and package.json (main); electron-builder adds the
  // production node_modules. Sources, tests, fixtures, source maps and other platforms' prebuilt addons stay out.
  files: [
    "package.json",
    "dist/electron/**/*",
    "dist/renderer/**/*",
    // The Bash grammar the policy judges unstick's commands with (found from dist/electron: shell-parser.ts), and its licence.
    "vendor/tree-sitter-bash/tree-sitter-bash.wasm",
    "vendor/tree-sitter-bash/LICENSE",
    "!**/*.map",
    "!**/*.{ts,tsx,md}",
    "!**/{test,tests,__tests__,fixtures}/**",
    // node-pty and @xterm/headless never load in the app: hosted sessions run in `otto-tray run` processes of the
    // shipped CLI. zod is bundled into main.cjs. (package:check fails if main.cjs requires a package left out.)
    "!node_modules/{node-pty,node-addon-api,@xterm,zod}/**",
    // web-tree-sitter loads web-tree-sitter.cjs and its .wasm; its debug build is never loaded.
    "!node_modules/web-tree-sitter/debug/**",
    "!node_modules/fs-native-extensions/prebuilds/{android,ios,win32}-*/**",
    "!node_modules/fs-native-extensions/prebuilds/**/*.bare",
    "!node_modules/fs-native-extensions/{binding.c,CMakeLists.txt}",
    "!node_modules/fs-native-extensions/{include,src}/**",
  ],
  asar: true,
  // Native addons cannot be loaded from inside an asar archive.
  asarUnpack: ["**/*.node", "node_modules/fs-native-extensions/**"],
  // The app's only native module (fs-native-extensions) is a prebuilt N-API addon that serves Node and Electron alike;
  // rebuilding against Electron's headers would need the network. See DESIGN.md.
  npmRebuild: false,
  extraResources: [
    // The JXA scripts the actuator runs with osascript (Resources/native-scripts, found beside app.asar).
    { from: "native-scripts", to: "native-scripts", filter: ["*.js"] },
    // The CLI with its own Node runtime, staged per target by scripts/stage-cli.mjs (build/cli/mac-arm64, …).
    { from: "build/cli/${os}-${arch}", to: "cli" },
    // electron-builder never copies a `node_modules` at the top of a `from`: the CLI's packages get an entry of their own.
    { from: "build/cli/${os}-${arch}/node_modules", to: "cli/node_modules" },
  ],
  // The app holds Accessibility and Automation permissions: it must not be usable as a plain Node (ELECTRON_RUN_AS_NODE),
  // take NODE_OPTIONS or --inspect, or load code from outside its (integrity-checked) app.asar.
  electronFuses: {
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    enableCookieEncryption: true,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
  },
  mac: {
    category: "public.app-category.developer-tools",
    // One download per arch rather than universal: the shipped CLI carries a Node runtime and node-pty prebuilds per
    // arch, which @electron/universal would have to lipo or keep twice (~100 MB more per download).
    target: [
      { target: "dmg", arch: ["arm64", "x64"] },
      { target: "zip", arch: ["arm64", "x64"] },
    ],
    // Drawn by scripts/draw-icons.mjs as an .icns already: no conversion tool to fetch at packaging time.
    icon: existsSync(join(__dirname, "build", "icon.icns")) ? "build/icon.icns" : icon,
    hardenedRuntime: true,
    gatekeeperAssess: false,
    entitlements: "build/entitlements.mac.plist",
    entitlementsInherit: "build/entitlements.mac.inherit.plist",
    extendInfo: {
      // A menu-bar utility: no Dock icon, no app menu.
      LSUIElement: true,
      NSAppleEventsUsageDescription:
        "Otto Tray reads and presses the buttons of the terminal sessions it watches (through System Events) when you unstick a session or allow auto mode.",
    },
    // Notarization runs when APPLE_API_KEY/APPLE_API_KEY_ID/APPLE_API_ISSUER (or APPLE_ID/APPLE_APP_SPECIFIC_PASSWORD/
    // APPLE_TEAM_ID) are set; signing uses the Developer ID found in the keychain or CSC_LINK/CSC_KEY_PASSWORD.
  },
  dmg: { writeUpdateInfo: false },
  linux: {
    // Only for the offline package check (npm run package:check): the app is a macOS app.
    target: [{ target: "dir" }],
    category: "Development",
    icon,
  },
};

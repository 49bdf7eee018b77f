// Warnings before a save, against real repositories: each value that cannot work is named on its field; good ones are not.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeRepoWithOrigin, makeRepoWithoutOrigin } from "../../test-support/git";
import { makeTempDir } from "../../test-support/temp";
import { prefsWarnings } from "./warnings";

const none = { heardFrom: [] as string[] };

describe("preferences warnings", () => {
  it("says nothing of the defaults, or of a repository with origin/main", async () => {
    expect(await prefsWarnings({}, none)).toEqual([]);
    const { repo } = makeRepoWithOrigin();
    expect(await prefsWarnings({ repo, identities: ["otto-cli"] }, none)).toEqual([]);
    // A worktree's subdirectory is inside the repository too.
    mkdirSync(join(repo, "sub"));
    expect(await prefsWarnings({ repo: join(repo, "sub") }, none)).toEqual([]);
  });

  it("warns of a quorum larger than the surfaces listed, and says what would work", async () => {
    const warnings = await prefsWarnings({ surfaces: ["otto-cli", "otto-desktop"], quorumSize: 3 }, none);
    expect(warnings).toEqual([{ field: "quorumSize", message: "a quorum of 3 can never be reached: only 2 surfaces are listed. Lower it to 2, or list more surfaces" }]);
    const one = await prefsWarnings({ surfaces: ["otto-cli"], quorumSize: 2 }, none);
    expect(one[0]?.message).toBe("a quorum of 2 can never be reached: only 1 surface is listed. Lower it to 2 and list another surface, or list more surfaces");
    expect(await prefsWarnings({ surfaces: ["otto-cli", "otto-desktop"], quorumSize: 2 }, none)).toEqual([]);
  });

  it("warns of a surface id nothing has beaten as, with a did-you-mean; one heard from on the bus or named by a session rule is known", async () => {
    const typo = await prefsWarnings({ surfaces: ["otto-clii", "otto-desktop"] }, none);
    expect(typo).toEqual([{ field: "surfaces", message: 'no heartbeat from "otto-clii" has reached the bus. Did you mean "otto-cli"? A new surface is fine: it shows once its hooks are installed.' }]);
    const fresh = await prefsWarnings({ surfaces: ["build-box", "otto-cli"] }, none);
    expect(fresh.map((w) => w.message)).toEqual(['no heartbeat from "build-box" has reached the bus. A new surface is fine: it shows once its hooks are installed.']);
    expect(await prefsWarnings({ surfaces: ["build-box", "otto-cli"] }, { heardFrom: ["build-box"] })).toEqual([]);
    expect(await prefsWarnings({ surfaces: ["build-box", "otto-cli"], sessionRules: [{ surface: "build-box", entrypoint: "sdk-cli" }] }, none)).toEqual([]);
  });

  it("warns of a repository path that does not exist, is a file, or is not a git repository", async () => {
    const root = makeTempDir("otto-warn-");
    const missing = join(root, "nope");
    expect(await prefsWarnings({ repo: missing }, none)).toEqual([{ field: "repo", message: `${missing} does not exist: name the directory of a git repository (or one of its worktrees)` }]);
    const file = join(root, "file");
    writeFileSync(file, "x");
    expect((await prefsWarnings({ repo: file }, none))[0]?.message).toBe(`${file} is a file, not a directory: name the directory of a git repository (or one of its worktrees)`);
    const plain = join(root, "plain");
    mkdirSync(plain);
    expect(await prefsWarnings({ repo: plain }, none)).toEqual([{ field: "repo", message: `${plain} is not a git repository: name the directory of a git repository (or one of its worktrees)` }]);
    expect(await prefsWarnings({ identities: ["otto-cli"] }, none)).toEqual([{ field: "repo", message: "identities are listed but no repository is set, so their pools cannot be made: name the directory of a git repository (or one of its worktrees)" }]);
  });

  it("warns of a base ref that does not resolve: no origin and no Base ref, or a Base ref that names nothing", async () => {
    const solo = makeRepoWithoutOrigin();
    const noOrigin = await prefsWarnings({ repo: solo }, none);
    expect(noOrigin).toHaveLength(1);
    expect(noOrigin[0]?.field).toBe("baseRef");
    expect(noOrigin[0]?.message).toMatch(/has no remote "origin", so there is no default base ref \(origin\/main\): set Base ref to a branch, tag or commit that exists there \(e\.g\. main\)$/);
    expect(await prefsWarnings({ repo: solo, baseRef: "main" }, none)).toEqual([]);
    const wrong = await prefsWarnings({ repo: solo, baseRef: "mian" }, none);
    expect(wrong[0]).toMatchObject({ field: "baseRef", message: expect.stringMatching(/^base ref "mian" does not name a commit in /) as unknown as string });
  });

  it("leaves a value the schema refuses to the save's errors, and still checks the rest", async () => {
    const warnings = await prefsWarnings({ quorumSize: "three", surfaces: ["otto-clii"], repo: 7 }, none);
    expect(warnings.map((w) => w.field)).toEqual(["surfaces"]);
  });

  it("says a path it cannot look into cannot be read, never that it is fine (fail closed)", async () => {
    // A path through a file (ENOTDIR) cannot be looked into by anyone, root included.
    const root = makeTempDir("otto-warn-");
    writeFileSync(join(root, "file"), "x");
    const through = join(root, "file", "repo");
    expect(await prefsWarnings({ repo: through }, none)).toEqual([{ field: "repo", message: `${through} cannot be read: name the directory of a git repository (or one of its worktrees)` }]);
  });
});

// The README and docs/ pages keep their promises: the README's two set-up commands are CI's, every relative link and
// image leads to a file (and heading) that exists, and the one exit-code table matches the CLI's ExitCode.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ExitCode } from "../core/errors";
import { REPO_ROOT } from "../test-support/cli";
import { makeTempDir } from "../test-support/temp";

const START = "./scripts/setup && npm start";
const TEST = "./scripts/setup --tests && npm test";

/** Markdown text without its fenced code blocks (links inside them are examples, not links). */
function withoutCodeBlocks(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, "");
}

/** The bodies of the ```sh blocks of `markdown`, trimmed. */
function shellBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```sh\n([\s\S]*?)^```[ \t]*$/gm)].map((m) => (m[1] ?? "").trim());
}

/** GitHub's anchor for a heading: lowercase, punctuation but `-` and `_` dropped, each space a `-`. */
function githubSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** Every anchor a page offers: its headings' slugs, a repeated one numbered as GitHub numbers it (`-1`, `-2`…). */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const m of withoutCodeBlocks(markdown).matchAll(/^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$/gm)) {
    const slug = githubSlug(m[1] ?? "");
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    result.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return result;
}

/** The relative link and image targets of `markdown` (outside code), web and mail addresses left out. */
function relativeTargets(markdown: string): string[] {
  const prose = withoutCodeBlocks(markdown).replace(/`[^`\n]*`/g, "``");
  return [...prose.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
    .map((m) => m[1] ?? "")
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

/** Each link of `files` (absolute paths of markdown files) that leads nowhere, as "file: target (why)". */
function brokenLinks(files: readonly string[], root: string): string[] {
  const problems: string[] = [];
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    for (const target of relativeTargets(text)) {
      const [pathPart = "", anchor] = target.split("#", 2);
      const destination = pathPart === "" ? file : resolve(dirname(file), decodeURIComponent(pathPart));
      const where = `${relative(root, file)}: ${target}`;
      if (!existsSync(destination)) {
        problems.push(`${where} (no such file)`);
        continue;
      }
      if (anchor === undefined || anchor === "") continue;
      if (!statSync(destination).isFile() || !destination.endsWith(".md")) {
        problems.push(`${where} (an anchor into something that is not a markdown file)`);
      } else if (!anchors(readFileSync(destination, "utf8")).has(anchor)) {
        problems.push(`${where} (no heading with that anchor)`);
      }
    }
  }
  return problems;
}

/** The rows of the first table after `## Exit codes` in `markdown`: code → the name in its second column. */
function exitCodeTable(markdown: string): Map<number, string> {
  const section = markdown.split(/^## Exit codes[ \t]*$/m)[1];
  if (section === undefined) throw new Error("no `## Exit codes` heading");
  const lines = section.split("\n");
  const start = lines.findIndex((line) => line.startsWith("|"));
  const rows = new Map<number, string>();
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith("|")) break;
    const [code = "", name = ""] = line.split("|").slice(1).map((cell) => cell.trim());
    rows.set(Number(code), name.replace(/`/g, ""));
  }
  return rows;
}

/** README.md and every docs/*.md of the checkout at `root`. */
function pages(root: string): string[] {
  const docs = join(root, "docs");
  return [join(root, "README.md"), ...readdirSync(docs).filter((name) => name.endsWith(".md")).map((name) => join(docs, name))];
}

describe("the README's set-up commands", () => {
  const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");

  it("are CI's own: .ci/run ends with the test command, and the README gives both, each in its own sh block", () => {
    const ciLines = readFileSync(join(REPO_ROOT, ".ci/run"), "utf8").trim().split("\n");
    expect(ciLines.at(-1)).toBe(TEST);
    expect(shellBlocks(readme)).toEqual(expect.arrayContaining([START, TEST]));
  });
});

describe("links in the README and docs/", () => {
  it("every relative link and image leads to an existing file and heading", () => {
    expect(brokenLinks(pages(REPO_ROOT), REPO_ROOT)).toEqual([]);
  });

  it("every docs page is linked from the README and links back to it", () => {
    const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
    for (const page of pages(REPO_ROOT).slice(1)) {
      const name = relative(REPO_ROOT, page);
      expect(relativeTargets(readme), `README.md links to ${name}`).toContain(name);
      expect(relativeTargets(readFileSync(page, "utf8")), `${name} links back to the README`).toContain("../README.md");
    }
  });

  it("follows GitHub's slug rules", () => {
    expect(githubSlug("`claude --worktree` and the pool")).toBe("claude---worktree-and-the-pool");
    expect(githubSlug("Refusals (exit 5)")).toBe("refusals-exit-5");
    expect(githubSlug("The dashboard: `otto-tray serve`")).toBe("the-dashboard-otto-tray-serve");
    expect(githubSlug("2. snake_case stays")).toBe("2-snake_case-stays");
  });

  it("reports a missing file, a missing heading and a missing image, and passes what exists", () => {
    const root = makeTempDir("otto-docs-links-");
    mkdirSync(join(root, "docs", "images"), { recursive: true });
    writeFileSync(join(root, "docs", "images", "shot.png"), "");
    writeFileSync(join(root, "docs", "page.md"), "# Page\n\n## Twice\n\n## Twice\n\n[back](../README.md)\n");
    writeFileSync(
      join(root, "README.md"),
      [
        "# Top",
        "[ok](docs/page.md#twice) [second](docs/page.md#twice-1) [self](#top) ![ok](docs/images/shot.png)",
        "[gone](docs/gone.md) [no heading](docs/page.md#nowhere) ![no image](docs/images/none.png) [web](https://example.com/x)",
        "```",
        "[in code](docs/ignored.md)",
        "```",
        "`[inline](docs/ignored-too.md)`",
      ].join("\n"),
    );
    expect(brokenLinks(pages(root), root)).toEqual([
      "README.md: docs/gone.md (no such file)",
      "README.md: docs/page.md#nowhere (no heading with that anchor)",
      "README.md: docs/images/none.png (no such file)",
    ]);
  });
});

describe("the exit-code table in docs/command-line.md", () => {
  it("lists exactly the CLI's ExitCode values, with the same numbers and names", () => {
    const table = exitCodeTable(readFileSync(join(REPO_ROOT, "docs", "command-line.md"), "utf8"));
    const fromCode = new Map(Object.entries(ExitCode).map(([name, code]) => [code as number, name]));
    expect([...table].sort(([a], [b]) => a - b)).toEqual([...fromCode].sort(([a], [b]) => a - b));
  });

  it("would be caught wrong: a renumbered row no longer matches", () => {
    const wrong = exitCodeTable("## Exit codes\n\n| code | name | meaning |\n| --- | --- | --- |\n| 0 | `ok` | fine |\n| 7 | `git` | moved |\n");
    expect(wrong).toEqual(new Map([[0, "ok"], [7, "git"]]));
    expect(wrong.get(ExitCode.git)).toBeUndefined();
  });
});

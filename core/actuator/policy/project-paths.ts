// Whether a path a command names stays inside the project, from every directory the command might run in, following
// symbolic links that already exist (a link inside the project that points out of it is outside).
import { realpathSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";

/** The project and the directories a text may `cd` into (all inside it); null when the project is unknown. */
export interface WorkingDirs {
  projectDir: string | null;
  /** Every directory a command in the text may run in (the project first). */
  cwds: readonly string[];
}

/**
 * The working directories for a surface working in `projectDir`. The file system's root and the home directory are
 * not projects: "inside" them would be everywhere, or every dotfile. They count as unknown, so every write is outside.
 */
export function workingDirs(projectDir: string | null, home: string = homedir()): WorkingDirs {
  const project = projectDir === null || !isAbsolute(projectDir) ? null : resolve(projectDir);
  if (project === null || project === sep || project === resolve(home)) return { projectDir: null, cwds: [] };
  return { projectDir: project, cwds: [project] };
}

/** True when `path` stays inside the project from every possible working directory. Unknown project: never. */
export function insideProject(path: string, dirs: WorkingDirs): boolean {
  if (dirs.projectDir === null || path === "" || path.startsWith("~")) return false;
  const project = realPath(resolve(dirs.projectDir));
  const bases = isAbsolute(path) ? [dirs.cwds[0] ?? dirs.projectDir] : dirs.cwds;
  return bases.length > 0 && bases.every((base) => within(realPath(resolve(base, path)), project));
}

function within(full: string, project: string): boolean {
  const rel = relative(project, full);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

// The real path of the longest existing ancestor, with the rest appended: links are followed where they exist.
function realPath(path: string): string {
  let existing = path;
  const rest: string[] = [];
  for (let i = 0; i < 256; i++) {
    try {
      const real = realpathSync(existing);
      return rest.length === 0 ? real : resolve(real, ...rest.reverse());
    } catch {
      const parent = dirname(existing);
      if (parent === existing) return path;
      rest.push(existing.slice(parent.length).replace(/^\//, ""));
      existing = parent;
    }
  }
  return path;
}

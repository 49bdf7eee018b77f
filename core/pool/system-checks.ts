// The system's answers to lease liveness: pids (with start times), process groups, and who works in a sidetick (one listing per operation).
import type { LivenessChecks } from "./leases";
import { isProcessAlive } from "../process-liveness";
import { listProcessCwds, type ProcessCwd, processesWorkingIn } from "./process-cwd";
import { isGroupAlive } from "./process-group";

/**
 * Makes the checks for sideticks of one operation (an allocate, a status, a doctor). The working directories of
 * all processes are listed at most once, and only when a dead holder's lease asks (lsof is slow on macOS).
 */
export function systemChecks(): (sidetickPath: string) => LivenessChecks {
  let cwds: { list: ProcessCwd[] | undefined } | undefined;
  return (sidetickPath) => ({
    isAlive: isProcessAlive,
    isGroupAlive: (group) => isGroupAlive(group),
    workersIn: () => {
      cwds ??= { list: listProcessCwds() };
      return processesWorkingIn(sidetickPath, cwds.list);
    },
  });
}

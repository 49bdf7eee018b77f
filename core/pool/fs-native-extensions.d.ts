// Types for the part of fs-native-extensions (kernel flock/OFD locks, freed when the holder dies) the pool uses.
declare module "fs-native-extensions" {
  /** Takes an exclusive (or shared) lock on the whole file without blocking; false when another holder has it. */
  export function tryLock(fd: number, options?: { shared?: boolean }): boolean;
  /** Releases the lock held through `fd`. */
  export function unlock(fd: number): void;
}

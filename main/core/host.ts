// Facts about the host the profiles are validated against.
import os from 'node:os';

export interface HostResources {
  readonly cpus: number;
  readonly memoryGiB: number;
}

export function readHostResources(): HostResources {
  return { cpus: os.availableParallelism(), memoryGiB: Math.floor(os.totalmem() / 2 ** 30) };
}

// The runtime serves its table from a second process (dynalite and LevelDB on the other core):
// that process never outlives the runtime, and the runtime does not go on without it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { eventually } from '../../support/eventually.js';
import {
  type RuntimeProcess,
  removeDataDir,
  startRuntimeProcess,
} from '../../support/runtime-process.js';

/** The processes whose parent is `pid` and whose command line names `script` (Linux's /proc). */
function childrenRunning(pid: number, script: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return parent === pid && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(script);
      } catch {
        return false; // ended while being read
      }
    })
    .map(Number);
}

const alive = (pid: number) => existsSync(`/proc/${pid}`);

let runtime: RuntimeProcess | undefined;
afterEach(async () => {
  if (runtime) {
    await runtime.kill().catch(() => {});
    removeDataDir(runtime.dataDir);
    runtime = undefined;
  }
});

const linuxOnly = existsSync('/proc/self/stat') ? it : it.skip;

linuxOnly(
  'serves the table from its own process, which a kill -9 of the runtime ends too',
  async () => {
    runtime = await startRuntimeProcess();
    const [dynalite] = childrenRunning(runtime.pid, 'dynalite-process');
    expect(dynalite).toBeDefined();

    await runtime.kill();

    await eventually(async () => !alive(dynalite as number), {
      timeoutMs: 10_000,
      what: "dynalite's process to end",
    });
  },
  60_000,
);

linuxOnly(
  'stops with an error naming the table when the table process dies',
  async () => {
    runtime = await startRuntimeProcess();
    const [dynalite] = childrenRunning(runtime.pid, 'dynalite-process');

    process.kill(dynalite as number, 'SIGKILL');

    const { code } = await runtime.exited;
    expect(code).toBe(1);
    expect(runtime.output()).toContain('The local DynamoDB stopped: the runtime stops too');
  },
  60_000,
);

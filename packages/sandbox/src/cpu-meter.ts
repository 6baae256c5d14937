// Real CPU time per run. isolate.cpuTime reads as wall time (measured here: four busy isolates on two cores each
// reported their full wall time), so the process's CPU is sampled instead: the time spent by threads other than
// the host's own main thread (which only does bookkeeping) is shared between the runs executing meanwhile.

export interface CpuTrack {
  /** The run starts executing inside its isolate. */
  enter(): void;
  /** The run stops executing (its call returned, threw or was cut off). */
  exit(): void;
  /** CPU milliseconds attributed so far. */
  ms(): number;
}

export interface CpuMeter {
  track(): CpuTrack;
}

const microsOffMainThread = () => {
  const all = process.cpuUsage();
  const main = process.threadCpuUsage();
  return all.user + all.system - main.user - main.system;
};

export function createCpuMeter(): CpuMeter {
  const executing = new Set<{ micros: number }>();
  let last = microsOffMainThread();
  const settle = () => {
    const now = microsOffMainThread();
    const share = (now - last) / Math.max(1, executing.size);
    last = now;
    for (const run of executing) run.micros += Math.max(0, share);
  };
  return {
    track() {
      const run = { micros: 0 };
      return {
        enter() {
          settle();
          executing.add(run);
        },
        exit() {
          if (!executing.has(run)) return;
          settle();
          executing.delete(run);
        },
        ms: () => run.micros / 1000,
      };
    },
  };
}

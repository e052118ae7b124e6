import type { Io } from './io.ts';

/**
 * A one-line progress bar on stderr, only when stderr is a terminal and the run is long
 * enough to need one; redrawn at most ten times a second.
 */
export function progressBar(io: Io, label: string, total: number): { update(done: number): void; end(complete?: boolean): void } {
  if (!io.isTty || total < 1000) return { update() {}, end() {} };
  let last = 0;
  const draw = (done: number) => {
    const width = 30;
    const filled = Math.round((done / total) * width);
    io.err(`\r${label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total}`);
  };
  return {
    update(done) {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      draw(done);
    },
    end(complete = true) {
      if (complete) draw(total);
      io.err('\n');
    },
  };
}

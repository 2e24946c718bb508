// A progress line for long jobs on stderr: redrawn in place on a terminal, every tenth otherwise
// (so a log file gets eleven lines, not a hundred thousand).

export function progressBar(out: NodeJS.WriteStream, label: string) {
  const started = performance.now();
  let lastTenth = -1;
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  return {
    update(done: number, total: number): void {
      const fraction = total ? Math.min(1, done / total) : 1;
      const seconds = (performance.now() - started) / 1000;
      const rate = seconds > 0 ? done / seconds : 0;
      const eta = rate > 0 ? (total - done) / rate : 0;
      const width = 30;
      const filled = Math.round(fraction * width);
      const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${fmt(done)}/${fmt(total)} records, ${fmt(rate)}/s, ETA ${Math.ceil(eta)}s`;
      if (out.isTTY) out.write(`\r${line}\x1b[K`);
      else {
        const tenth = Math.floor(fraction * 10);
        if (tenth !== lastTenth) { lastTenth = tenth; out.write(`${line}\n`); }
      }
    },
    done(summary: string): void {
      out.write(`${out.isTTY ? '\n' : ''}${summary}\n`);
    },
  };
}

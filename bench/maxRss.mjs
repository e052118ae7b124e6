// Preloaded by hugeInput.bench.ts (node --import): prints the process's peak resident set size
// (KiB, all threads) when it exits, so a benchmark can read it from stderr.
process.on('exit', () => process.stderr.write(`maxrss ${process.resourceUsage().maxRSS}\n`));

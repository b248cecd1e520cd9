// Preloaded into benchmarked processes: reports the peak resident set size on exit.
process.on('exit', () => {
  process.stderr.write(`@@maxrss ${process.resourceUsage().maxRSS}\n`);
});

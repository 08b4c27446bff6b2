// Preloaded (-r) into the apps by `pipeline.bench.ts --cpu-prof`: V8 writes a --cpu-prof profile when the process
// exits, not when a signal ends it. Nest closes the app on SIGTERM and then raises SIGTERM again: this exits at that
// second signal (or 10 s after the first, if nothing else ends the process), so the profile is written.
'use strict';
let signals = 0;
process.on('SIGTERM', () => {
  signals += 1;
  if (signals > 1) process.exit(0);
  setTimeout(() => process.exit(0), 10000).unref();
});

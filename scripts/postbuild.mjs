// Make the compiled CLI executable so `npx interphase` runs it (tsc writes files without the x bit).
import { chmodSync } from 'node:fs';
chmodSync(new URL('../dist/pipelines/cli/main.js', import.meta.url), 0o755);

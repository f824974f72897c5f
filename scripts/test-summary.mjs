// Prints vitest's result as the plain closing line CI reads ("tests: N passed, N failed, N skipped")
// and exits non-zero when anything failed or the run produced no results.
import { readFileSync } from 'node:fs';
let r;
try {
  r = JSON.parse(readFileSync('out/test-results.json', 'utf8'));
} catch (e) {
  console.error(`no test results (out/test-results.json): ${e.message}`);
  process.exit(1);
}
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
const failedSuites = (r.testResults ?? []).filter((s) => s.status === 'failed' && (s.assertionResults ?? []).length === 0).length;
console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests + failedSuites} failed, ${skipped} skipped`);
process.exit(r.success && r.numTotalTests > 0 && r.numFailedTests === 0 && failedSuites === 0 ? 0 : 1);

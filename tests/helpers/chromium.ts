/**
 * Debian's Chromium driven by playwright-core, for the browser tests (report, interactive report, live
 * page). `.ci/run` installs chromium; where it (or playwright-core) is missing the tests skip and say why.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

export const CHROMIUM = '/usr/bin/chromium';
/** The flags this sandbox needs (no GPU, no background networking: the closed network refuses it). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function hasPlaywright(): boolean {
  try {
    createRequire(import.meta.url).resolve('playwright-core');
    return true;
  } catch {
    return false;
  }
}

/** Why a browser test cannot run here (empty when it can); warns once with the test's label. */
export function browserMissing(label: string): string[] {
  const missing = [
    !existsSync(CHROMIUM) && `${CHROMIUM} not found (apt-get install chromium)`,
    !hasPlaywright() && 'playwright-core not installed (add it as a devDependency)',
  ].filter((x): x is string => Boolean(x));
  if (missing.length) console.warn(`[${label}] skipped: ${missing.join('; ')}`);
  return missing;
}

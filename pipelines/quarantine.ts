/**
 * Quarantine: a copy of a file Interphase could not read, with the reason beside it, under
 * <out>/quarantine/<same relative path>. The original is never moved or deleted (it is the scientist's
 * record, and instrument software may still hold it open); the store marks the file failed so it is
 * not retried until its bytes change. When a later version of the file parses, the stale copy and its
 * reason are removed.
 */
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { writeAtomic } from '../src/io/atomic.js';
import { dirname, join } from 'node:path';

export async function quarantine(folder: string, rel: string, quarantineDir: string, reason: string): Promise<string> {
  const dest = join(quarantineDir, rel);
  await mkdir(dirname(dest), { recursive: true });
  await copyFile(join(folder, rel), dest);
  await writeAtomic(`${dest}.reason.txt`, `${reason}\n\nsource: ${join(folder, rel)}\nquarantined: ${new Date().toISOString()}\n`);
  return dest;
}

/** Remove our quarantine copy of `rel` (never the original), e.g. once a rewritten file parses. */
export async function clearQuarantine(quarantineDir: string, rel: string): Promise<void> {
  const dest = join(quarantineDir, rel);
  await rm(dest, { force: true });
  await rm(`${dest}.reason.txt`, { force: true });
}

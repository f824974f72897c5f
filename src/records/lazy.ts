/**
 * Dependencies loaded on first use, so that importing a module (the format registry, the CLI) does not
 * load libraries only some commands or formats need (issue #17 §3: a command that starts at once).
 * `lazyRequire` loads synchronously through Node's `require` (ES-module-only packages included: Node
 * ≥ 20.19 loads them with `require`), so a parser that needs the library keeps a synchronous `parse`.
 */
import { createRequire } from 'node:module';

const req = createRequire(import.meta.url);

/** `() => module`, loading `id` on the first call and returning the same module after. */
export function lazyRequire<T>(id: string): () => T {
  let mod: T | undefined;
  return () => (mod ??= req(id) as T);
}

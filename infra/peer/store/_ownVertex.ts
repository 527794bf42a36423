/**
 * The newest own vertex in the store: one reverse seek over the fixed-width `own-vertex/` keys
 * (keys.ts), so the answer costs the same after a day or a year of rounds.
 */
import type { ClassicLevel } from 'classic-level';
import { prefixEnd } from './keys.ts';

export type OwnVertexEntry = { readonly epoch: bigint; readonly round: number; readonly bytes: Uint8Array };

export async function readLastOwnVertex(db: ClassicLevel<string, Uint8Array>, prefix: string): Promise<OwnVertexEntry | undefined> {
  const [entry] = await db.iterator({ gte: prefix, lt: prefixEnd(prefix), reverse: true, limit: 1 }).all();
  if (entry === undefined) return undefined;
  const [key, value] = entry;
  const m = /^own-vertex\/([0-9a-f]{16})\/([0-9a-f]{8})$/.exec(key);
  if (m === null) throw new Error(`store: malformed own-vertex key ${key}`);
  return Object.freeze({ epoch: BigInt(`0x${m[1] as string}`), round: parseInt(m[2] as string, 16), bytes: new Uint8Array(value) });
}

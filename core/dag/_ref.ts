/**
 * Helpers over vertex references: the canonical order, equality and a string key for maps.
 *
 * The canonical order of references is (round, author, digest bytewise), ascending: parent
 * lists are encoded in it, and the DagView lists a round's vertices in it.
 */
import { toHex } from '../crypto/index.ts';
import type { VertexRef } from './types.ts';

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** Negative, zero or positive as `a` sorts before, equal to or after `b`. */
export function compareRefs(a: VertexRef, b: VertexRef): number {
  if (a.round !== b.round) return a.round - b.round;
  if (a.author !== b.author) return a.author - b.author;
  return compareBytes(a.digest, b.digest);
}

/** A map key naming one vertex: `round:author:digest-hex`. */
export function refKey(ref: VertexRef): string {
  return `${ref.round}:${ref.author}:${toHex(ref.digest)}`;
}

/** A map key naming one slot: `round:author`. */
export function slotKey(round: number, author: number): string {
  return `${round}:${author}`;
}

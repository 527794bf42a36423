/**
 * Helpers over vertex references: the canonical order, equality and a string key for maps.
 *
 * The canonical order of references is (round, author, digest bytewise), ascending: parent
 * lists are encoded in it, and the DagView lists a round's vertices in it.
 */
import { compareBytes, toHex } from '../crypto/index.ts';
import type { VertexRef } from './types.ts';

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

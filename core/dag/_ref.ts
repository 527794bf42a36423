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

/**
 * Keys of frozen references, remembered: one decoded parent reference is looked up many times
 * (presence, timestamps, votes), and in a simulator one decoded vertex is shared by every
 * receiver. Only frozen references are remembered (a mutable one could change under its key);
 * a WeakMap lets them go with their vertex.
 */
const refKeys = new WeakMap<VertexRef, string>();

/** A map key naming one vertex: `round:author:digest-hex`. */
export function refKey(ref: VertexRef): string {
  const known = refKeys.get(ref);
  if (known !== undefined) return known;
  const key = `${ref.round}:${ref.author}:${toHex(ref.digest)}`;
  if (Object.isFrozen(ref)) refKeys.set(ref, key);
  return key;
}

/** A map key naming one slot: `round:author`. */
export function slotKey(round: number, author: number): string {
  return `${round}:${author}`;
}

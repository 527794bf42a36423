/**
 * Received vertices awaiting their verdict, keyed by reference and signature bytes: a copy that
 * arrives meanwhile is dropped, while a forged copy (same reference, other signature) cannot
 * shadow the real one. Compared byte for byte within a reference (usually one entry), so
 * nothing is hashed per arrival. The caller bounds the size (`maxVerifyBacklog`).
 */
import { bytesEqual } from '../crypto/index.ts';

export type InFlight = {
  has(refKey: string, signature: Uint8Array): boolean;
  add(refKey: string, signature: Uint8Array): void;
  remove(refKey: string, signature: Uint8Array): void;
  size(): number;
  clear(): void;
};

export function createInFlight(): InFlight {
  const byRef = new Map<string, Uint8Array[]>();
  let size = 0;
  const has = (refKey: string, signature: Uint8Array): boolean => byRef.get(refKey)?.some((s) => bytesEqual(s, signature)) === true;
  return Object.freeze({
    has,
    add(refKey: string, signature: Uint8Array): void {
      if (has(refKey, signature)) return;
      const list = byRef.get(refKey);
      if (list === undefined) byRef.set(refKey, [signature]);
      else list.push(signature);
      size++;
    },
    remove(refKey: string, signature: Uint8Array): void {
      const list = byRef.get(refKey);
      if (list === undefined) return;
      const i = list.findIndex((s) => bytesEqual(s, signature));
      if (i < 0) return;
      list.splice(i, 1);
      size--;
      if (list.length === 0) byRef.delete(refKey);
    },
    size: () => size,
    clear(): void {
      byRef.clear();
      size = 0;
    },
  });
}

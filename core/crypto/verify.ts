/**
 * Verifies one `VerifyItem` (the unit a verify pool receives) with a backend.
 *
 * DESIGN.md §2. Total on bad bytes like `SignatureBackend.verify`: a malformed key or signature
 * gives `false`. A scheme the backend does not support is a configuration bug: RangeError.
 */
import type { SignatureBackend, VerifyItem } from './types.ts';

export function verifySignature(backend: SignatureBackend, item: VerifyItem): boolean {
  return backend.verify(item.scheme, item.publicKey, item.message, item.signature, item.context);
}

/**
 * Where the light client's last connect form is kept: browser storage (localStorage), so a
 * reload reconnects and the worker resumes from IndexedDB. The form is public data (peer
 * addresses, the genesis); what comes back is untrusted text, checked field by field, and
 * anything else — or storage that refuses — is "nothing saved".
 */
import type { ConnectionStore, SavedConnection } from '../lightPage.svelte.ts';

export const CONNECTION_STORAGE_KEY = 'kaldrix-light-connection';
/** Largest saved form read: a genesis of a few hundred validators' post-quantum keys. */
const MAX_SAVED_CHARS = 4 << 20;

export function createConnectionStore(storage: Pick<Storage, 'getItem' | 'setItem'>): ConnectionStore {
  return Object.freeze({
    load(): SavedConnection | undefined {
      try {
        return parseSavedConnection(storage.getItem(CONNECTION_STORAGE_KEY));
      } catch {
        return undefined;
      }
    },
    save(connection: SavedConnection): void {
      try {
        storage.setItem(CONNECTION_STORAGE_KEY, JSON.stringify(connection));
      } catch {
        // Private browsing or a full quota: the page works, the next visit just does not reconnect.
      }
    },
  });
}

export function parseSavedConnection(text: string | null): SavedConnection | undefined {
  if (text === null || text.length > MAX_SAVED_CHARS) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { peersText, genesisText, allowLoopback, autoConnect } = value as Record<string, unknown>;
  if (typeof peersText !== 'string' || typeof genesisText !== 'string' || typeof allowLoopback !== 'boolean' || typeof autoConnect !== 'boolean') return undefined;
  return Object.freeze({ peersText, genesisText, allowLoopback, autoConnect });
}

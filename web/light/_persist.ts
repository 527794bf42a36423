/**
 * Where the light client keeps what it verified: IndexedDB (through `idb`), one object store,
 * one record per trust root — the encoded `LightState` (core/light stateCodec: no signature,
 * no cache) keyed by `<chain id>:<trust root hash hex>`. DESIGN.md §2 Light client "Persists
 * what it verified in IndexedDB, re-checks it cheaply on load, and resumes". Nothing else is
 * stored: no raw certificate, no peer list.
 *
 * Every storage failure (a private window without IndexedDB, a full quota, a blocked upgrade)
 * is a `STORAGE_FAILED` value; the light client then simply runs without resuming.
 */
import { openDB, type IDBPDatabase } from 'idb';
import { err, ok, type Result } from '../../core/result.ts';
import type { LightError } from './protocol.ts';

export const LIGHT_DB_NAME = 'kaldrix-light';
export const LIGHT_DB_VERSION = 1;
export const LIGHT_STATE_STORE = 'light-states';

export type LightStore = {
  load(key: string): Promise<Result<Uint8Array | undefined, LightError>>;
  save(key: string, bytes: Uint8Array): Promise<Result<void, LightError>>;
  remove(key: string): Promise<Result<void, LightError>>;
  /** Every stored state (a `forget` before any connect, when the chain is not known yet). */
  clear(): Promise<Result<void, LightError>>;
  close(): void;
};

export const lightStoreKey = (chainId: string, rootHashHex: string): string => `${chainId}:${rootHashHex}`;

const failed = (what: string, error: unknown): Result<never, LightError> =>
  err({ code: 'STORAGE_FAILED', message: `${what}: ${error instanceof Error ? error.message : String(error)}` });

/** Opens (creating on first use) the database; a missing or refused IndexedDB is STORAGE_FAILED. */
export async function openLightStore(dbName = LIGHT_DB_NAME): Promise<Result<LightStore, LightError>> {
  let db: IDBPDatabase;
  try {
    if (typeof indexedDB === 'undefined') return err({ code: 'STORAGE_FAILED', message: 'this browser context has no IndexedDB' });
    db = await openDB(dbName, LIGHT_DB_VERSION, {
      upgrade(database) {
        if (!database.objectStoreNames.contains(LIGHT_STATE_STORE)) database.createObjectStore(LIGHT_STATE_STORE);
      },
    });
  } catch (error) {
    return failed('opening IndexedDB failed', error);
  }
  return ok(Object.freeze({
    async load(key: string) {
      try {
        const value: unknown = await db.get(LIGHT_STATE_STORE, key);
        if (value === undefined) return ok(undefined);
        // A record of another shape is as good as absent: the re-check on load decides the rest.
        return ok(value instanceof Uint8Array ? value : undefined);
      } catch (error) {
        return failed('reading the stored light-client state failed', error);
      }
    },
    async save(key: string, bytes: Uint8Array) {
      try {
        await db.put(LIGHT_STATE_STORE, bytes, key);
        return ok(undefined);
      } catch (error) {
        return failed('storing the light-client state failed', error);
      }
    },
    async remove(key: string) {
      try {
        await db.delete(LIGHT_STATE_STORE, key);
        return ok(undefined);
      } catch (error) {
        return failed('deleting the stored light-client state failed', error);
      }
    },
    async clear() {
      try {
        await db.clear(LIGHT_STATE_STORE);
        return ok(undefined);
      } catch (error) {
        return failed('clearing the stored light-client states failed', error);
      }
    },
    close: () => db.close(),
  }));
}

/**
 * Where the wallet keeps its key between visits: one IndexedDB database of its own (through
 * `idb`), one record, holding the ENCRYPTED key file only (core/crypto/keyfile.ts) and the
 * address it belongs to, so the page can show the address before the passphrase unlocks it.
 *
 * Never a secret key at rest: `save` refuses (throws, a bug) any text that is not an encrypted
 * key file. Everything read back is checked as untrusted shape (another tab, an extension or an
 * older version may have written it). Storage failures are values (STORAGE_FAILED).
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { isKeyFileScheme, type SchemeName } from '../../core/crypto/index.ts';
import { err, ok, type Result } from '../../core/result.ts';
import type { WalletError } from './errors.ts';

/** The wallet's own database; the light client's state lives in another. */
export const WALLET_DATABASE_NAME = 'kaldrix-wallet';
const DATABASE_VERSION = 1;
const STORE = 'keys';
/** One key per wallet for now: the record's fixed id. */
const RECORD_ID = 'default';

export type StoredKey = {
  readonly encryptedKeyFile: string;
  readonly scheme: SchemeName;
  readonly addressText: string;
  readonly savedAtMs: number;
};

type StoredRecord = StoredKey & { readonly id: string };

interface WalletSchema extends DBSchema {
  keys: { key: string; value: StoredRecord };
}

export type Keystore = {
  load(): Promise<Result<StoredKey | undefined, WalletError>>;
  save(key: Omit<StoredKey, 'savedAtMs'>): Promise<Result<void, WalletError>>;
  clear(): Promise<Result<void, WalletError>>;
  close(): void;
};

export type KeystoreInit = {
  /** Default WALLET_DATABASE_NAME; tests use their own. */
  readonly databaseName?: string;
  readonly nowMs: () => number;
};

export function openKeystore(init: KeystoreInit): Keystore {
  const name = init.databaseName ?? WALLET_DATABASE_NAME;
  let database: Promise<IDBPDatabase<WalletSchema>> | undefined;
  const db = (): Promise<IDBPDatabase<WalletSchema>> =>
    (database ??= openDB<WalletSchema>(name, DATABASE_VERSION, {
      upgrade(upgrading) {
        upgrading.createObjectStore(STORE, { keyPath: 'id' });
      },
    }));
  return Object.freeze({
    load: () =>
      guarded(async () => {
        const record: unknown = await (await db()).get(STORE, RECORD_ID);
        return record === undefined ? undefined : parseStoredKey(record);
      }),
    save: (key: Omit<StoredKey, 'savedAtMs'>) => {
      assertEncrypted(key.encryptedKeyFile);
      const record: StoredRecord = { id: RECORD_ID, ...key, savedAtMs: init.nowMs() };
      return guarded(async () => {
        await (await db()).put(STORE, record);
      });
    },
    clear: () =>
      guarded(async () => {
        await (await db()).delete(STORE, RECORD_ID);
      }),
    close: () => {
      void database?.then((opened) => opened.close(), () => undefined);
      database = undefined;
    },
  });
}

/** A stored record, or undefined when its shape is not one this wallet wrote (treated as no key). */
function parseStoredKey(value: unknown): StoredKey | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const { encryptedKeyFile, scheme, addressText, savedAtMs } = record;
  if (typeof encryptedKeyFile !== 'string' || !isEncryptedKeyFile(encryptedKeyFile)) return undefined;
  if (!isKeyFileScheme(scheme) || typeof addressText !== 'string' || typeof savedAtMs !== 'number') return undefined;
  return Object.freeze({ encryptedKeyFile, scheme, addressText, savedAtMs });
}

/** The encrypted format's marker is present and no field could hold a plain secret key. */
function isEncryptedKeyFile(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && 'kaldrix_keyfile' in value && 'ciphertext' in value && !('secretKey' in value);
  } catch {
    return false;
  }
}

function assertEncrypted(text: string): void {
  if (!isEncryptedKeyFile(text)) throw new TypeError('keystore.save: only an encrypted key file may be stored');
}

async function guarded<T>(work: () => Promise<T>): Promise<Result<T, WalletError>> {
  try {
    return ok(await work());
  } catch (error) {
    return err({ code: 'STORAGE_FAILED', message: error instanceof Error ? error.message : String(error) });
  }
}

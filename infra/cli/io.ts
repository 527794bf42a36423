/**
 * The CLI's effects, as one injectable object.
 *
 * `runCli(argv, io)` touches the world only through a `CliIo`: output streams, environment,
 * files, randomness and the passphrase prompt. The real implementation is `createNodeIo()`
 * (nodeIo.ts); tests pass an in-memory one (`_memoryIo.ts`) and run commands in-process.
 */
import type { Result } from '../../core/result.ts';

/** Why a file operation failed, in the words a user can act on. */
export type FileFailure = {
  readonly code: 'not-found' | 'exists' | 'denied' | 'is-directory' | 'other';
  /** The operating system's short explanation (for example `EACCES`), shown in the hint. */
  readonly detail: string;
};

export type WriteFileOptions = {
  /** Create only: fail with `exists` when the path is taken (defaults to true in callers). */
  readonly exclusive: boolean;
  /** Permission bits of a newly written file, e.g. 0o600 for key files. */
  readonly mode: number;
};

/** The outcome of a passphrase prompt: the text typed, or why none was obtained. */
export type PromptResult = Result<string, { readonly code: 'cancelled' | 'no-terminal' }>;

export interface CliIo {
  /** Writes to standard output as is (callers add the newline). */
  stdout(text: string): void;
  /** Writes to standard error as is (callers add the newline). */
  stderr(text: string): void;
  /** True when standard error is a terminal: progress lines are shown only then. */
  readonly stderrIsTerminal: boolean;
  /** True when a person can be asked for a passphrase (standard input is a terminal). */
  readonly canPrompt: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readFile(path: string): Promise<Result<Uint8Array, FileFailure>>;
  /** Writes `data`; with `exclusive: false` replaces an existing file atomically. */
  writeFile(path: string, data: Uint8Array, options: WriteFileOptions): Promise<Result<void, FileFailure>>;
  /** Fresh cryptographically secure random bytes (node:crypto in production). */
  randomBytes(length: number): Uint8Array;
  /** Asks for a passphrase without echoing it; `prompt` is the text shown before the cursor. */
  promptPassphrase(prompt: string): Promise<PromptResult>;
  /**
   * Test only: a lower scrypt N for new key files (a power of two, at least 2^14, the floor
   * key-file readers accept), so test suites stay fast. Never set by `createNodeIo()`: there is
   * no flag or environment variable for it, so a real key always gets the full default cost.
   */
  readonly testScryptN?: number;
}

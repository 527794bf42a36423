/**
 * An in-memory `CliIo` for running commands in-process in tests: files in a Map, output
 * captured as strings, scripted prompt answers, and seeded randomness so every run repeats.
 *
 * Randomness is SHA-256(seed ‖ counter) blocks: deterministic, never for real keys.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { ok, err, type Result } from '../../core/result.ts';
import type { CliIo, FileFailure, PromptResult, WriteFileOptions } from './io.ts';

export type MemoryFile = { readonly data: Uint8Array; readonly mode: number };

export type MemoryIo = CliIo & {
  readonly files: Map<string, MemoryFile>;
  /** Everything written to stdout / stderr so far. */
  out(): string;
  err(): string;
  /** The prompts shown, in order. */
  readonly prompts: string[];
};

export type MemoryIoInit = {
  /** Initial files; string contents are stored as UTF-8. */
  readonly files?: Readonly<Record<string, string | Uint8Array>>;
  readonly env?: Readonly<Record<string, string>>;
  /** Answers to successive passphrase prompts; a missing answer means no terminal. */
  readonly promptAnswers?: readonly PromptResult[];
  readonly canPrompt?: boolean;
  readonly stderrIsTerminal?: boolean;
  /** scrypt N for new key files; defaults to 2^14, the lowest that key-file readers accept. */
  readonly testScryptN?: number;
  readonly seed?: number;
};

/** The cheapest scrypt cost key files accept (keyfile.ts MIN_SCRYPT_N): fast tests. */
const TEST_SCRYPT_N = 2 ** 14;

/** Directories that exist in the memory file system; writes elsewhere fail with not-found. */
const MEMORY_DIRECTORIES = ['', 'keys', 'tmp'];

export function createMemoryIo(init: MemoryIoInit = {}): MemoryIo {
  const encoder = new TextEncoder();
  const files = new Map<string, MemoryFile>();
  for (const [path, content] of Object.entries(init.files ?? {})) {
    files.set(path, { data: typeof content === 'string' ? encoder.encode(content) : content, mode: 0o644 });
  }
  let stdout = '';
  let stderr = '';
  const prompts: string[] = [];
  const answers = [...(init.promptAnswers ?? [])];
  let counter = 0;
  const seed = init.seed ?? 1;
  return {
    files,
    prompts,
    out: () => stdout,
    err: () => stderr,
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    stderrIsTerminal: init.stderrIsTerminal ?? false,
    canPrompt: init.canPrompt ?? false,
    env: init.env ?? {},
    testScryptN: init.testScryptN ?? TEST_SCRYPT_N,
    readFile: (path) => Promise.resolve(readMemory(files, path)),
    writeFile: (path, data, options) => Promise.resolve(writeMemory(files, path, data, options)),
    randomBytes: (length) => {
      const out = new Uint8Array(length);
      for (let at = 0; at < length; at += 32) {
        const block = sha256(encoder.encode(`memory-io:${seed}:${counter++}`));
        out.set(block.subarray(0, Math.min(32, length - at)), at);
      }
      return out;
    },
    promptPassphrase: (prompt) => {
      prompts.push(prompt);
      return Promise.resolve(answers.shift() ?? { ok: false, error: { code: 'no-terminal' } });
    },
  };
}

function readMemory(files: Map<string, MemoryFile>, path: string): Result<Uint8Array, FileFailure> {
  if (MEMORY_DIRECTORIES.includes(path)) return err({ code: 'is-directory', detail: 'EISDIR' });
  const file = files.get(path);
  return file === undefined ? err({ code: 'not-found', detail: 'ENOENT' }) : ok(file.data.slice());
}

function writeMemory(files: Map<string, MemoryFile>, path: string, data: Uint8Array, options: WriteFileOptions): Result<void, FileFailure> {
  const slash = path.lastIndexOf('/');
  const directory = slash < 0 ? '' : path.slice(0, slash);
  if (!MEMORY_DIRECTORIES.includes(directory)) return err({ code: 'not-found', detail: 'ENOENT' });
  if (MEMORY_DIRECTORIES.includes(path)) return err({ code: 'is-directory', detail: 'EISDIR' });
  if (options.exclusive && files.has(path)) return err({ code: 'exists', detail: 'EEXIST' });
  files.set(path, { data: data.slice(), mode: options.mode });
  return ok(undefined);
}


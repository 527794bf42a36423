/**
 * The real `CliIo` on Node: process streams and environment, node:fs, node:crypto randomness,
 * and the no-echo terminal prompt.
 *
 * Key files are written with mode 0600 from the first byte: exclusively (`wx`) when the path
 * must be new, or to a fresh temporary file renamed over the target when replacing, so a
 * crash never leaves a half-written key and an old file's looser mode is never inherited.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { ok, err, type Result } from '../../core/result.ts';
import type { CliIo, FileFailure, WriteFileOptions } from './io.ts';
import { promptHidden } from './ttyPrompt.ts';

export function createNodeIo(): CliIo {
  return Object.freeze({
    stdout: (text: string) => void process.stdout.write(text),
    stderr: (text: string) => void process.stderr.write(text),
    stderrIsTerminal: process.stderr.isTTY === true,
    canPrompt: process.stdin.isTTY === true && process.stderr.isTTY === true,
    env: process.env,
    readFile: readFileBytes,
    writeFile: writeFileSafely,
    // Copy into a plain Uint8Array: some consumers reject Buffer views (TOOLCHAIN.md, liboqs).
    randomBytes: (length: number) => new Uint8Array(randomBytes(length)),
    promptPassphrase: (prompt: string) => promptHidden(prompt, process.stdin, process.stderr),
  });
}

async function readFileBytes(path: string): Promise<Result<Uint8Array, FileFailure>> {
  try {
    return ok(new Uint8Array(await readFile(path)));
  } catch (e) {
    return err(fileFailure(e));
  }
}

async function writeFileSafely(path: string, data: Uint8Array, options: WriteFileOptions): Promise<Result<void, FileFailure>> {
  try {
    if (options.exclusive) {
      await writeFile(path, data, { flag: 'wx', mode: options.mode });
      return ok(undefined);
    }
    const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temporary, data, { flag: 'wx', mode: options.mode });
      await rename(temporary, path);
    } catch (e) {
      await rm(temporary, { force: true });
      throw e;
    }
    return ok(undefined);
  } catch (e) {
    return err(fileFailure(e));
  }
}

/** Maps a Node file-system error to a failure; anything that is not one is a bug and rethrown. */
function fileFailure(e: unknown): FileFailure {
  const code = typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
  if (code === undefined) throw e;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return { code: 'not-found', detail: code };
    case 'EEXIST':
      return { code: 'exists', detail: code };
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return { code: 'denied', detail: code };
    case 'EISDIR':
      return { code: 'is-directory', detail: code };
    default:
      return { code: 'other', detail: code };
  }
}

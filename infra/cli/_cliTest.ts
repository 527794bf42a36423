/**
 * Test support: run the CLI in-process on a memory io, and make keys for tests without going
 * through the CLI (the reference backend, from a fixed seed).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNobleBackend } from '../../core/crypto/backends/noble.ts';
import { schemeInfo } from '../../core/crypto/schemes.ts';
import { encodePublicKey } from '../../core/crypto/signatureEncoding.ts';
import type { KeyPair, SchemeName } from '../../core/crypto/types.ts';
import { createMemoryIo, type MemoryIo, type MemoryIoInit } from './_memoryIo.ts';
import { toHex } from './hexArg.ts';
import { runCli } from './main.ts';

export type CliRun = { readonly code: number; readonly out: string; readonly err: string; readonly io: MemoryIo };

/** Runs `kaldrix <argv>` on `io` (or a fresh memory io); output is what this run wrote. */
export async function run(argv: readonly string[], io: MemoryIo | MemoryIoInit = {}): Promise<CliRun> {
  const memory = isMemoryIo(io) ? io : createMemoryIo(io);
  const outBefore = memory.out().length;
  const errBefore = memory.err().length;
  const code = await runCli(argv, memory);
  return { code, out: memory.out().slice(outBefore), err: memory.err().slice(errBefore), io: memory };
}

function isMemoryIo(io: MemoryIo | MemoryIoInit): io is MemoryIo {
  return io.files instanceof Map;
}

/** A key pair from a seed filled with `seedByte`: the same key on every run. */
export function fixedKeyPair(scheme: SchemeName, seedByte = 7): KeyPair {
  return createNobleBackend().keygen(scheme, new Uint8Array(schemeInfo(scheme).seedBytes).fill(seedByte));
}

export const taggedPublicKeyHex = (k: KeyPair): string => toHex(encodePublicKey({ scheme: k.scheme, publicKey: k.publicKey }));

/** What a child process of the real CLI printed, and its exit code. */
export type Spawned = { readonly code: number; readonly stdout: string; readonly stderr: string };

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const kaldrixBin = join(repoRoot, 'bin', 'kaldrix.mjs');

/** Runs the real `node bin/kaldrix.mjs …` in a child process, as a user's shell would. */
export function spawnKaldrix(args: readonly string[]): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [kaldrixBin, ...args], { cwd: repoRoot, env: { ...process.env, NODE_OPTIONS: '' } }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : undefined;
      if (code === undefined) reject(error ?? new Error('no exit code'));
      else resolve({ code, stdout, stderr });
    });
  });
}

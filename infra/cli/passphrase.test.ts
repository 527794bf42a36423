import { describe, expect, it } from 'vitest';
import { createMemoryIo } from './_memoryIo.ts';
import { obtainPassphrase } from './passphrase.ts';

describe('obtainPassphrase', () => {
  it('reads a file and drops one trailing newline only', async () => {
    const io = createMemoryIo({ files: { 'pw.txt': 'correct horse\n\n', 'crlf.txt': 'battery\r\n' } });
    const a = await obtainPassphrase({ 'passphrase-file': 'pw.txt' }, io, 'unlock-key');
    expect(a.ok && a.value).toBe('correct horse\n');
    const b = await obtainPassphrase({ 'passphrase-file': 'crlf.txt' }, io, 'unlock-key');
    expect(b.ok && b.value).toBe('battery');
  });

  it('reports a missing or non-UTF-8 passphrase file', async () => {
    const io = createMemoryIo({ files: { 'bin.txt': new Uint8Array([0xff, 0xfe]) } });
    const missing = await obtainPassphrase({ 'passphrase-file': 'nope.txt' }, io, 'unlock-key');
    expect(!missing.ok && missing.error.what).toBe("cannot read --passphrase-file 'nope.txt': no such file");
    const binary = await obtainPassphrase({ 'passphrase-file': 'bin.txt' }, io, 'unlock-key');
    expect(!binary.ok && binary.error.what).toBe("--passphrase-file 'bin.txt' is not UTF-8 text");
  });

  it('reads the named environment variable, and says so when it is unset', async () => {
    const io = createMemoryIo({ env: { KEY_PW: 's3cret' } });
    const set = await obtainPassphrase({ 'passphrase-env': 'KEY_PW' }, io, 'new-key');
    expect(set.ok && set.value).toBe('s3cret');
    const unset = await obtainPassphrase({ 'passphrase-env': 's3cret' }, io, 'new-key');
    expect(!unset.ok && unset.error.hint).toMatch(/name of a variable/);
    for (const name of ['__proto__', 'constructor', 'toString']) {
      const inherited = await obtainPassphrase({ 'passphrase-env': name }, io, 'new-key');
      expect(!inherited.ok && inherited.error.what).toBe(`environment variable '${name}' is not set`);
    }
  });

  it('refuses two sources and the empty passphrase', async () => {
    const io = createMemoryIo({ env: { E: '' }, files: { f: 'x' } });
    const both = await obtainPassphrase({ 'passphrase-env': 'E', 'passphrase-file': 'f' }, io, 'new-key');
    expect(!both.ok && both.error.what).toMatch(/both/);
    const empty = await obtainPassphrase({ 'passphrase-env': 'E' }, io, 'new-key');
    expect(!empty.ok && empty.error.hint).toMatch(/--insecure-plaintext/);
  });

  it('fails instead of hanging when there is no source and no terminal', async () => {
    const io = createMemoryIo({ canPrompt: false });
    const r = await obtainPassphrase({}, io, 'unlock-key');
    expect(!r.ok && r.error.what).toBe('no passphrase given');
    expect(io.prompts).toEqual([]);
  });

  it('prompts twice for a new key and insists both answers match', async () => {
    const same = createMemoryIo({ canPrompt: true, promptAnswers: [{ ok: true, value: 'pw' }, { ok: true, value: 'pw' }] });
    const r = await obtainPassphrase({}, same, 'new-key');
    expect(r.ok && r.value).toBe('pw');
    expect(same.prompts).toEqual(['New passphrase: ', 'Repeat passphrase: ']);
    const differ = createMemoryIo({ canPrompt: true, promptAnswers: [{ ok: true, value: 'pw' }, { ok: true, value: 'pW' }] });
    const d = await obtainPassphrase({}, differ, 'new-key');
    expect(!d.ok && d.error.what).toBe('the two passphrases differ');
  });

  it('prompts once to unlock, and reports a cancelled prompt', async () => {
    const once = createMemoryIo({ canPrompt: true, promptAnswers: [{ ok: true, value: 'pw' }] });
    expect((await obtainPassphrase({}, once, 'unlock-key')).ok).toBe(true);
    expect(once.prompts).toEqual(['Passphrase: ']);
    const cancelled = createMemoryIo({ canPrompt: true, promptAnswers: [{ ok: false, error: { code: 'cancelled' } }] });
    const c = await obtainPassphrase({}, cancelled, 'unlock-key');
    expect(!c.ok && c.error.what).toBe('passphrase entry cancelled');
  });
});

import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { promptHidden } from './ttyPrompt.ts';

/** A stand-in terminal: records raw-mode changes and everything written to it. */
class FakeTerminal extends EventEmitter {
  isTTY = true;
  rawModes: boolean[] = [];
  written = '';
  paused = true;
  setRawMode(on: boolean): this {
    this.rawModes.push(on);
    return this;
  }
  setEncoding(): this {
    return this;
  }
  resume(): this {
    this.paused = false;
    return this;
  }
  pause(): this {
    this.paused = true;
    return this;
  }
  write(text: string): boolean {
    this.written += text;
    return true;
  }
}

async function type(keys: string[]): Promise<{ result: Awaited<ReturnType<typeof promptHidden>>; terminal: FakeTerminal }> {
  const terminal = new FakeTerminal();
  const pending = promptHidden('Passphrase: ', terminal as unknown as NodeJS.ReadStream, terminal as unknown as NodeJS.WriteStream);
  for (const k of keys) terminal.emit('data', k);
  return { result: await pending, terminal };
}

describe('promptHidden', () => {
  it('returns what was typed without echoing it, and restores the terminal', async () => {
    const { result, terminal } = await type(['se', 'cr', 'et\r']);
    expect(result).toEqual({ ok: true, value: 'secret' });
    expect(terminal.written).toBe('Passphrase: \n');
    expect(terminal.rawModes).toEqual([true, false]);
    expect(terminal.paused).toBe(true);
    expect(terminal.listenerCount('data')).toBe(0);
  });

  it('handles backspace (also over multi-byte characters) and ignores control characters', async () => {
    const { result } = await type(['ab\u007fc', 'é\u007f\u0001d\n']);
    expect(result).toEqual({ ok: true, value: 'acd' });
  });

  it('treats Ctrl-C, and Ctrl-D on an empty line, as cancel', async () => {
    expect((await type(['abc\u0003'])).result).toEqual({ ok: false, error: { code: 'cancelled' } });
    expect((await type(['\u0004'])).result).toEqual({ ok: false, error: { code: 'cancelled' } });
  });

  it('cancels when input ends before Enter, and cleans up', async () => {
    const terminal = new FakeTerminal();
    const pending = promptHidden('Passphrase: ', terminal as unknown as NodeJS.ReadStream, terminal as unknown as NodeJS.WriteStream);
    terminal.emit('data', 'abc');
    terminal.emit('end');
    expect(await pending).toEqual({ ok: false, error: { code: 'cancelled' } });
    expect(terminal.rawModes).toEqual([true, false]);
    expect(terminal.listenerCount('end')).toBe(0);
  });

  it('refuses to prompt without a terminal', async () => {
    const terminal = new FakeTerminal();
    terminal.isTTY = false;
    const r = await promptHidden('x', terminal as unknown as NodeJS.ReadStream, terminal as unknown as NodeJS.WriteStream);
    expect(r).toEqual({ ok: false, error: { code: 'no-terminal' } });
    expect(terminal.written).toBe('');
  });
});

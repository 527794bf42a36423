/**
 * A passphrase prompt on a terminal that does not echo what is typed.
 *
 * The terminal is put in raw mode for the duration, so keystrokes arrive one by one and are
 * never displayed; Enter finishes, Backspace deletes, Ctrl-C (or Ctrl-D on an empty line)
 * cancels, and so does the end of input. Raw mode is always restored, whatever happens.
 */
import type { PromptResult } from './io.ts';

/** Upper bound on a typed passphrase, so a stuck key or a runaway paste cannot grow forever. */
const PASSPHRASE_MAX_CHARS = 1024;

const ENTER = new Set(['\r', '\n']);
const BACKSPACE = new Set(['\u007f', '\b']);
const CTRL_C = '\u0003';
const CTRL_D = '\u0004';

export function promptHidden(prompt: string, input: NodeJS.ReadStream, output: NodeJS.WriteStream): Promise<PromptResult> {
  if (input.isTTY !== true) return Promise.resolve({ ok: false, error: { code: 'no-terminal' } });
  return new Promise((resolve) => {
    let typed = '';
    const finish = (result: PromptResult): void => {
      input.removeListener('data', onData);
      input.removeListener('end', onEnd);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
      resolve(result);
    };
    const onData = (chunk: string): void => {
      for (const c of chunk) {
        if (ENTER.has(c)) return finish({ ok: true, value: typed });
        if (c === CTRL_C || (c === CTRL_D && typed === '')) return finish({ ok: false, error: { code: 'cancelled' } });
        if (BACKSPACE.has(c)) typed = [...typed].slice(0, -1).join('');
        else if (c >= ' ' && typed.length < PASSPHRASE_MAX_CHARS) typed += c;
      }
    };
    // The terminal went away (stdin closed) before Enter: nothing more can be typed.
    const onEnd = (): void => finish({ ok: false, error: { code: 'cancelled' } });
    output.write(prompt);
    input.setEncoding('utf8');
    input.setRawMode(true);
    input.on('data', onData);
    input.on('end', onEnd);
    input.resume();
  });
}

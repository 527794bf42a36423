/**
 * A cursor over one line's tokens that turns every failure into a positioned `ScenarioError`
 * value: the directive parsers read like a grammar and never throw on user input.
 */
import { err, ok, type Result } from '../../core/result.ts';
import type { UnitError } from '../network/units.ts';
import type { Token, TokenLine } from './_lexer.ts';
import type { ScenarioError, ScenarioErrorCode } from './types.ts';

export type Parsed<T> = Result<T, ScenarioError>;

export type Cursor = {
  readonly line: number;
  /** The next token, not consumed. */
  peek(): Token | undefined;
  /** Consumes the next token, or fails with MISSING_ARGUMENT naming `expected`. */
  take(expected: string): Parsed<Token>;
  /** Consumes tokens up to (not including) a token in `stops`, or to the end; may be empty. */
  takeUntil(stops: readonly string[]): readonly Token[];
  /** Fails with TRAILING_TOKEN unless every token was consumed. */
  end(): Parsed<undefined>;
  errorAt(code: ScenarioErrorCode, token: Token, expected: string): ScenarioError;
  missing(expected: string): ScenarioError;
};

export function createCursor(tokenLine: TokenLine, start = 0): Cursor {
  const { tokens, line, endColumn } = tokenLine;
  let index = start;
  const errorAt = (code: ScenarioErrorCode, token: Token, expected: string): ScenarioError => ({ code, line: token.line, column: token.column, token: token.text, expected });
  const missing = (expected: string): ScenarioError => ({ code: 'MISSING_ARGUMENT', line, column: endColumn, token: '', expected });
  return {
    line,
    peek: () => tokens[index],
    take: (expected) => {
      const token = tokens[index];
      if (token === undefined) return err(missing(expected));
      index++;
      return ok(token);
    },
    takeUntil: (stops) => {
      const taken: Token[] = [];
      for (let t = tokens[index]; t !== undefined && !stops.includes(t.text); t = tokens[index]) {
        taken.push(t);
        index++;
      }
      return taken;
    },
    end: () => {
      const extra = tokens[index];
      return extra === undefined ? ok(undefined) : err(errorAt('TRAILING_TOKEN', extra, 'the end of the line'));
    },
    errorAt,
    missing,
  };
}

/** Takes one token and converts it with a units parser (durations, probabilities, ...). */
export function takeValue<T>(cursor: Cursor, expected: string, convert: (text: string) => Result<T, UnitError>): Parsed<T> {
  const token = cursor.take(expected);
  if (!token.ok) return token;
  const value = convert(token.value.text);
  return value.ok ? value : err(cursor.errorAt(value.error.code, token.value, value.error.expected));
}

/** Takes one token that must be one of `words`. */
export function takeKeyword<W extends string>(cursor: Cursor, words: readonly W[]): Parsed<W> {
  const expected = `one of ${words.join(', ')}`;
  const token = cursor.take(expected);
  if (!token.ok) return token;
  return (words as readonly string[]).includes(token.value.text) ? ok(token.value.text as W) : err(cursor.errorAt('UNKNOWN_KEYWORD', token.value, expected));
}

/** Takes a decimal integer in [min, max]. */
export function takeInteger(cursor: Cursor, expected: string, min: number, max: number): Parsed<{ readonly value: number; readonly token: Token }> {
  const token = cursor.take(expected);
  if (!token.ok) return token;
  const { text } = token.value;
  if (!/^\d+$/.test(text)) return err(cursor.errorAt('BAD_INTEGER', token.value, expected));
  const value = Number(text);
  if (value < min || value > max) return err(cursor.errorAt('OUT_OF_RANGE', token.value, `${expected} in ${min}..${max}`));
  return ok({ value, token: token.value });
}

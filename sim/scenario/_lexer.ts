/**
 * Scenario text to lines of tokens with 1-based columns. `#` starts a comment to the end of
 * the line; tokens are separated by whitespace, and `|`, `->` and `<->` are tokens of their
 * own even when written without spaces (`0-3|4-9`, `0-3->4-9`), so a range's `-` is never
 * confused with an arrow.
 */
export type Token = { readonly text: string; readonly line: number; readonly column: number };

export type TokenLine = {
  readonly line: number;
  readonly tokens: readonly Token[];
  /** Column just past the last token (where a missing argument is reported). */
  readonly endColumn: number;
};

/** Longest first: `<->` before `->`. */
const SYMBOLS = ['<->', '->', '|'] as const;
const isSymbolAt = (body: string, i: number): boolean => SYMBOLS.some((s) => body.startsWith(s, i));

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\v' || c === '\f';

export function tokenizeLine(text: string, line: number): TokenLine {
  const hash = text.indexOf('#');
  const body = hash === -1 ? text : text.slice(0, hash);
  const tokens: Token[] = [];
  let i = 0;
  while (i < body.length) {
    const c = body[i] as string;
    if (isSpace(c)) {
      i++;
      continue;
    }
    const symbol = SYMBOLS.find((s) => body.startsWith(s, i));
    if (symbol !== undefined) {
      const text = symbol;
      tokens.push({ text, line, column: i + 1 });
      i += text.length;
      continue;
    }
    const start = i;
    while (i < body.length && !isSpace(body[i] as string) && !isSymbolAt(body, i)) i++;
    tokens.push({ text: body.slice(start, i), line, column: start + 1 });
  }
  const last = tokens[tokens.length - 1];
  return { line, tokens, endColumn: last === undefined ? 1 : last.column + last.text.length + 1 };
}

/** Every line of `text` (LF or CRLF), numbered from 1; blank and comment-only lines have no tokens. */
export function tokenize(text: string): TokenLine[] {
  return text.split('\n').map((lineText, i) => tokenizeLine(lineText, i + 1));
}

/**
 * Asking a node's HTTP API (infra/peer/api) from the CLI: the `--api` base URL, JSON requests
 * with a timeout and a size bound, and every way the asking itself can fail as one `CliFailure`
 * (the callers exit 3, EXIT.unavailable: the node could not be asked).
 *
 * An answer with an HTTP error status is not a failure here: it is an `ApiAnswer` whose body
 * carries the API's `{ error, message }` (infra/peer/api/_errors.ts); the caller decides what a
 * refusal means. Text the node sends is shown to a person only through `shownNodeText`, which
 * keeps it on one line and out of the terminal's control sequences.
 */
import { err, ok, type Result } from '../../core/result.ts';
import { failure, quoteInput, type CliFailure } from './failure.ts';

/** How long one request may take: a node on a LAN answers in milliseconds; 10 s means it is stuck. */
export const API_REQUEST_TIMEOUT_MS = 10_000;
/** Largest answer read: the biggest (an account with its proof) is a few KiB. */
const API_ANSWER_MAX_BYTES = 1 << 20;
/** Longest node-sent text shown in an error line. */
const NODE_TEXT_MAX_CHARS = 200;

export type ApiAnswer = { readonly httpStatus: number; readonly body: unknown };

export type ApiRequest = {
  readonly method: 'GET' | 'POST';
  /** Sent as application/octet-stream (the API's raw signed-transaction body). */
  readonly bytes?: Uint8Array;
  readonly timeoutMs?: number;
};

/** Parses `--api`: an http(s) base URL such as http://127.0.0.1:8080 (a path prefix is kept). */
export function parseApiUrl(text: string): Result<URL, CliFailure> {
  const hint = 'give the node\'s API base URL, e.g. --api http://127.0.0.1:8080';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return failure(`--api ${quoteInput(text)} is not a URL`, hint);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return failure(`--api ${quoteInput(text)} is not an http or https URL`, hint);
  if (url.search !== '' || url.hash !== '') return failure(`--api ${quoteInput(text)} has a query or fragment`, hint);
  // A base with a path prefix (a node behind a reverse proxy) keeps it: resolve below it.
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
  return ok(url);
}

/** The URL of `path` (e.g. `v1/status`) under the API base. */
export function apiUrl(api: URL, path: string): URL {
  return new URL(path.replace(/^\/+/, ''), api);
}

/** The base URL as a person typed it (without the trailing slash added by parseApiUrl). */
export function shownApi(api: URL): string {
  return api.href.replace(/\/$/, '');
}

/** Sends one request and reads its JSON answer; unreachable, slow or non-JSON answers fail. */
export async function apiRequest(api: URL, path: string, request: ApiRequest = { method: 'GET' }): Promise<Result<ApiAnswer, CliFailure>> {
  const url = apiUrl(api, path);
  const timeoutMs = request.timeoutMs ?? API_REQUEST_TIMEOUT_MS;
  let response: Response;
  try {
    response = await fetch(url, {
      method: request.method,
      headers: request.bytes === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/octet-stream' },
      ...(request.bytes === undefined ? {} : { body: new Uint8Array(request.bytes) }),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
  } catch (e) {
    return failure(...describeFetchError(e, url, timeoutMs));
  }
  const text = await readBounded(response);
  if (!text.ok) return failure(`${quoteUrl(url)} ${text.error}`, 'check --api: it must be a kaldrix node API');
  try {
    return ok({ httpStatus: response.status, body: JSON.parse(text.value) as unknown });
  } catch {
    return failure(`${quoteUrl(url)} answered HTTP ${response.status} without JSON`, 'check --api: it must be a kaldrix node API');
  }
}

/** The API's error code and message of a non-2xx answer (infra/peer/api/_errors.ts), for display. */
export function apiErrorOf(answer: ApiAnswer): { readonly code: string; readonly message: string } {
  const body = answer.body;
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const code = typeof fields['error'] === 'string' ? shownNodeText(fields['error']) : `HTTP ${answer.httpStatus}`;
  const message = typeof fields['message'] === 'string' ? shownNodeText(fields['message']) : 'no message';
  return { code, message };
}

/** Text from the node, made safe for one terminal line: control characters escaped, length cut. */
export function shownNodeText(text: string): string {
  const cut = text.length > NODE_TEXT_MAX_CHARS ? `${text.slice(0, NODE_TEXT_MAX_CHARS)}…` : text;
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return cut.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function quoteUrl(url: URL): string {
  return `'${shownNodeText(url.href)}'`;
}

function describeFetchError(e: unknown, url: URL, timeoutMs: number): [string, string] {
  const nodeDown = 'check --api and that the node is running';
  if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) {
    return [`no answer from ${quoteUrl(url)} within ${timeoutMs / 1000} s`, nodeDown];
  }
  // undici puts the system error (ECONNREFUSED, ENOTFOUND, …) in `cause`.
  const cause = e instanceof Error ? (e.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const detail = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : e instanceof Error ? e.message : String(e);
  return [`cannot reach the API at ${quoteUrl(url)}: ${shownNodeText(detail)}`, nodeDown];
}

/** The body as UTF-8 text, refusing answers larger than any the API gives. */
async function readBounded(response: Response): Promise<Result<string, string>> {
  const reader = response.body?.getReader();
  if (reader === undefined) return ok('');
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > API_ANSWER_MAX_BYTES) {
        await reader.cancel();
        return err(`answered more than ${API_ANSWER_MAX_BYTES} bytes`);
      }
      chunks.push(value);
    }
  } catch (e) {
    return err(`broke off its answer (${e instanceof Error ? e.message : String(e)})`);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  try {
    return ok(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return err('answered with text that is not UTF-8');
  }
}

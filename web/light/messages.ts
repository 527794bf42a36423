/**
 * The checks each side of the light-client worker boundary runs on what arrives (protocol.ts):
 * the worker checks page messages field by field (a malformed one becomes a MALFORMED_MESSAGE
 * reply, never an exception); the page checks the worker's messages by type and payload shape
 * (the worker is our own code, so this guards against version skew and bugs, not an adversary).
 *
 * Bounds: a genesis text of at most MAX_GENESIS_TEXT_CHARS, at most MAX_CONNECT_PEERS peers of
 * at most MAX_MULTIADDR_CHARS each, an address text of at most MAX_ADDRESS_TEXT_CHARS.
 */
import { err, ok, type Result } from '../../core/result.ts';
import type { ConnectRequest, LightError, LightRequest, PageMessage, WorkerMessage } from './protocol.ts';

/** A genesis of 10,000 validators with ML-DSA keys is about 30 MB of JSON; beyond that, not a genesis. */
export const MAX_GENESIS_TEXT_CHARS = 32 * 1024 * 1024;
/** Peers one light client dials: several to cross-check, few enough to keep sockets cheap. */
export const MAX_CONNECT_PEERS = 32;
/** A WebSocket multiaddr with a DNS name and a peer id fits in far less. */
export const MAX_MULTIADDR_CHARS = 1024;
/** bech32 (BIP-173) strings are at most 90 characters; a little room for pasted whitespace. */
export const MAX_ADDRESS_TEXT_CHARS = 128;

type Check<T> = Result<T, LightError>;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const malformed = (message: string): Check<never> => err({ code: 'MALFORMED_MESSAGE', message });

function checkConnect(value: unknown): Check<ConnectRequest> {
  if (!isRecord(value)) return malformed('connect: request must be an object');
  const trust = value['trust'];
  if (!isRecord(trust) || trust['kind'] !== 'genesis') return malformed("connect: trust must be { kind: 'genesis', genesisText }");
  const genesisText = trust['genesisText'];
  if (typeof genesisText !== 'string' || genesisText.length > MAX_GENESIS_TEXT_CHARS) return malformed(`connect: genesisText must be a string of at most ${MAX_GENESIS_TEXT_CHARS} characters`);
  const peers = value['peers'];
  if (!Array.isArray(peers) || peers.length > MAX_CONNECT_PEERS) return malformed(`connect: peers must be an array of at most ${MAX_CONNECT_PEERS} multiaddrs`);
  if (!peers.every((p): p is string => typeof p === 'string' && p.length <= MAX_MULTIADDR_CHARS)) return malformed(`connect: every peer must be a multiaddr string of at most ${MAX_MULTIADDR_CHARS} characters`);
  if (typeof value['allowLoopback'] !== 'boolean') return malformed('connect: allowLoopback must be a boolean');
  return ok(Object.freeze({ trust: Object.freeze({ kind: 'genesis', genesisText }), peers: Object.freeze([...peers]), allowLoopback: value['allowLoopback'] }));
}

function checkRequest(body: unknown): Check<LightRequest> {
  if (!isRecord(body)) return malformed('a request body must be an object with a type');
  switch (body['type']) {
    case 'connect': {
      const request = checkConnect(body['request']);
      return request.ok ? ok(Object.freeze({ type: 'connect', request: request.value })) : request;
    }
    case 'disconnect':
    case 'forget':
    case 'head':
    case 'evidence':
      return ok(Object.freeze({ type: body['type'] }));
    case 'account': {
      const addressText = body['addressText'];
      if (typeof addressText !== 'string' || addressText.length > MAX_ADDRESS_TEXT_CHARS) return malformed(`account: addressText must be a string of at most ${MAX_ADDRESS_TEXT_CHARS} characters`);
      return ok(Object.freeze({ type: 'account', addressText }));
    }
    default:
      return malformed(`unknown request type ${JSON.stringify(String(body['type'])).slice(0, 40)}`);
  }
}

/** The id of a message, when it has a usable one (to answer even a malformed request). */
export function readRequestId(value: unknown): number | undefined {
  if (!isRecord(value)) return undefined;
  const id = value['id'];
  return typeof id === 'number' && Number.isSafeInteger(id) ? id : undefined;
}

/** The worker's check of a page message. */
export function checkPageMessage(value: unknown): Check<PageMessage> {
  if (!isRecord(value) || value['type'] !== 'request') return malformed("a page message must be { type: 'request', id, body }");
  const id = readRequestId(value);
  if (id === undefined) return malformed('a request needs a safe-integer id');
  const body = checkRequest(value['body']);
  return body.ok ? ok(Object.freeze({ type: 'request', id, body: body.value })) : body;
}

const REPLY_PAYLOAD: Readonly<Record<string, string | undefined>> = {
  connect: 'resumed',
  disconnect: undefined,
  forget: undefined,
  account: 'account',
  head: 'head',
  evidence: 'json',
};

function isReplyBody(body: unknown): boolean {
  if (!isRecord(body) || typeof body['type'] !== 'string' || !(body['type'] in REPLY_PAYLOAD)) return false;
  const payload = REPLY_PAYLOAD[body['type']];
  return payload === undefined || payload in body;
}

function isStatus(status: unknown): boolean {
  if (!isRecord(status)) return false;
  const sync = status['epochSync'];
  return (
    typeof status['phase'] === 'string' &&
    Array.isArray(status['peers']) &&
    Array.isArray(status['alarms']) &&
    isRecord(sync) &&
    typeof sync['done'] === 'number' &&
    typeof sync['total'] === 'number' &&
    (status['head'] === undefined || isRecord(status['head']))
  );
}

/** The page's check of a worker message: its type and the presence and kind of its payload. */
export function isWorkerMessage(value: unknown): value is WorkerMessage {
  if (!isRecord(value)) return false;
  if (value['type'] === 'status') return isStatus(value['status']);
  if (value['type'] !== 'reply' || readRequestId(value) === undefined) return false;
  if (value['ok'] === true) return isReplyBody(value['body']);
  if (value['ok'] !== false) return false;
  const error = value['error'];
  return isRecord(error) && typeof error['code'] === 'string' && typeof error['message'] === 'string';
}

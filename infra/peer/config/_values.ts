/**
 * Checks one configuration value against its kind (schema.ts) and returns it typed, or the
 * error naming the key path, the value and what is allowed. Values from the environment and
 * flags arrive as text and are first read the way TOML would have typed them (`toTomlLike`),
 * so one checker serves every source.
 */
import { multiaddr } from '@multiformats/multiaddr';
import { CHAIN_ID_MAX_BYTES } from '../../../core/state/index.ts';
import { err, ok, type Result } from '../../../core/result.ts';
import type { ValueKind } from './schema.ts';
import type { ConfigError, ConfigSource, FlagValue, HostPort } from './types.ts';

/** Longest echo of a bad value inside an error, so a message stays one readable line. */
const SHOW_MAX_CHARS = 60;
/** Same rule as a genesis chain_id (core/state genesisJson.ts). */
const CHAIN_ID_PATTERN = new RegExp(`^[a-z0-9._-]{1,${CHAIN_ID_MAX_BYTES}}$`);
const HOST_PORT_PATTERN = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;
const MAX_PORT = 65_535;

/** A value for an error message: strings quoted with control characters escaped, long ones cut. */
export function showValue(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(value);
  else if (value instanceof Date) text = value.toISOString();
  else if (Array.isArray(value)) text = `[${value.map(showValue).join(', ')}]`;
  else if (typeof value === 'object' && value !== null) text = 'a table';
  else text = String(value);
  return text.length > SHOW_MAX_CHARS ? `${text.slice(0, SHOW_MAX_CHARS)}…` : text;
}

/** Reads environment/flag text as TOML would type it: integers, booleans, comma-separated lists. */
export function toTomlLike(kind: ValueKind, raw: FlagValue): unknown {
  if (typeof raw === 'boolean') return raw;
  const isList = kind.type === 'multiaddrList' || kind.type === 'originList';
  if (isList) {
    const words = typeof raw === 'string' ? [raw] : raw;
    return words.flatMap((w) => w.split(',')).map((w) => w.trim()).filter((w) => w !== '');
  }
  if (typeof raw !== 'string') return raw;
  if (kind.type === 'int' && /^[+-]?\d+$/.test(raw.trim())) return Number(raw.trim());
  if (kind.type === 'bool' && (raw === 'true' || raw === 'false')) return raw === 'true';
  return raw;
}

export type Where = { readonly path: string; readonly source: ConfigSource };

const allowedText = (kind: ValueKind): string => {
  switch (kind.type) {
    case 'int':
      return `an integer from ${kind.min} to ${kind.max}`;
    case 'bool':
      return 'true or false';
    case 'enum':
      return `one of ${kind.values.map((v) => `'${v}'`).join(', ')}`;
    case 'chainId':
      return `1–${CHAIN_ID_MAX_BYTES} characters of a–z, 0–9, '.', '_', '-'`;
    case 'path':
      return 'a non-empty file or directory path';
    case 'multiaddrList':
      return `a list of at most ${kind.maxItems} multiaddrs such as /ip4/127.0.0.1/tcp/7000`;
    case 'hostPort':
      return 'host:port such as 127.0.0.1:8080 (IPv6 as [::1]:8080, port 0 to 65535)';
    case 'originList':
      return `a list of at most ${kind.maxItems} origins such as https://app.example.org, or "*"`;
  }
};

/** Checks `value` (TOML-typed) against `kind`. */
export function checkValue(kind: ValueKind, value: unknown, where: Where): Result<unknown, ConfigError> {
  const allowed = allowedText(kind);
  const fail = (code: 'WRONG_TYPE' | 'BAD_FORMAT'): Result<unknown, ConfigError> => err({ code, ...where, value: showValue(value), allowed });
  switch (kind.type) {
    case 'int': {
      if (typeof value !== 'number' || !Number.isInteger(value)) return fail('WRONG_TYPE');
      if (value < kind.min || value > kind.max) return err({ code: 'OUT_OF_RANGE', ...where, value: showValue(value), allowed, min: kind.min, max: kind.max });
      return ok(value);
    }
    case 'bool':
      return typeof value === 'boolean' ? ok(value) : fail('WRONG_TYPE');
    case 'enum': {
      if (typeof value !== 'string') return fail('WRONG_TYPE');
      return kind.values.includes(value) ? ok(value) : err({ code: 'NOT_ALLOWED', ...where, value: showValue(value), allowed, values: kind.values });
    }
    case 'chainId':
      if (typeof value !== 'string') return fail('WRONG_TYPE');
      return CHAIN_ID_PATTERN.test(value) ? ok(value) : fail('BAD_FORMAT');
    case 'path':
      if (typeof value !== 'string') return fail('WRONG_TYPE');
      return value.trim() !== '' && !value.includes('\0') ? ok(value) : fail('BAD_FORMAT');
    case 'hostPort':
      return typeof value === 'string' ? checkHostPort(value, where, allowed) : fail('WRONG_TYPE');
    case 'multiaddrList':
    case 'originList':
      return checkList(kind, value, where, allowed);
  }
}

function checkHostPort(text: string, where: Where, allowed: string): Result<HostPort, ConfigError> {
  const match = HOST_PORT_PATTERN.exec(text);
  const port = Number(match?.[2]);
  if (match === null || match[1] === undefined || port > MAX_PORT) return err({ code: 'BAD_FORMAT', ...where, value: showValue(text), allowed });
  // Node's listen() wants an IPv6 host without the brackets that separate it from the port.
  const host = match[1].startsWith('[') ? match[1].slice(1, -1) : match[1];
  return ok(Object.freeze({ host, port }));
}

function checkList(kind: ValueKind & { readonly maxItems: number }, value: unknown, where: Where, allowed: string): Result<readonly string[], ConfigError> {
  if (!Array.isArray(value)) return err({ code: 'WRONG_TYPE', ...where, value: showValue(value), allowed });
  if (value.length > kind.maxItems) return err({ code: 'TOO_MANY', ...where, value: `${value.length} entries`, allowed, max: kind.maxItems });
  const out: string[] = [];
  for (const [i, item] of value.entries()) {
    const itemWhere = { ...where, path: `${where.path}[${i}]` };
    if (typeof item !== 'string') return err({ code: 'WRONG_TYPE', ...itemWhere, value: showValue(item), allowed });
    const problem = kind.type === 'originList' ? originProblem(item) : multiaddrProblem(item);
    if (problem !== undefined) return err({ code: 'BAD_FORMAT', ...itemWhere, value: showValue(item), allowed: `${allowed} (${problem})` });
    out.push(item);
  }
  return ok(Object.freeze(out));
}

/** Why `text` is not a multiaddr, or undefined when it is (the libp2p parser decides). */
function multiaddrProblem(text: string): string | undefined {
  try {
    multiaddr(text);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : 'not a multiaddr';
  }
}

/** Browsers send `Origin: scheme://host[:port]` exactly; anything else would never match. */
function originProblem(text: string): string | undefined {
  if (text === '*') return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'not a URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'the scheme must be http or https';
  return url.origin === text ? undefined : `write it as ${url.origin}, with no path or trailing slash`;
}

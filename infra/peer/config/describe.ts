/**
 * One line per configuration error, for the CLI and the logs:
 * `network.min_peers = 5000 (from KALDRIX_NETWORK_MIN_PEERS): out of range; allowed: an integer from 0 to 1000`.
 */
import type { ConfigError, ConfigSource } from './types.ts';

export function describeSource(source: ConfigSource): string {
  switch (source.kind) {
    case 'file':
      return 'kaldrix.toml';
    case 'env':
      return `environment ${source.name}`;
    case 'flag':
      return `flag ${source.name}`;
    case 'default':
      return 'default';
  }
}

const PROBLEM: Readonly<Record<Exclude<ConfigError['code'], 'TOML_SYNTAX'>, string>> = Object.freeze({
  UNKNOWN_KEY: 'unknown key',
  PROTOCOL_PARAM: 'a protocol parameter, not a node setting',
  WRONG_TYPE: 'wrong type',
  OUT_OF_RANGE: 'out of range',
  NOT_ALLOWED: 'not an allowed value',
  BAD_FORMAT: 'malformed',
  TOO_MANY: 'too many entries',
  MISSING: 'required but not set',
  CONFLICT: 'contradicts another key',
});

export function describeConfigError(e: ConfigError): string {
  if (e.code === 'TOML_SYNTAX') return `kaldrix.toml line ${e.line}, column ${e.column}: ${e.message}`;
  const conflict = e.code === 'CONFLICT' && e.otherPath !== e.path ? ` (with ${e.otherPath})` : '';
  return `${e.path} = ${e.value} (from ${describeSource(e.source)}): ${PROBLEM[e.code]}${conflict}; allowed: ${e.allowed}`;
}

/**
 * infra/peer/config — `kaldrix.toml` (DESIGN.md §3): the node-local settings of a full peer,
 * overridable by environment variables and flags, validated with errors that name the key.
 * The annotated example of every key: infra/peer/kaldrix.example.toml.
 */
export { loadPeerConfig } from './load.ts';
export { validatorBounds, type ValidatorBounds } from './validatorBounds.ts';
export { describeConfigError, describeSource } from './describe.ts';
export { CONFIG_SECTIONS, KEY_SPECS, PEER_FLAG_ALIASES, envName, keyPath, type ConfigSection, type KeySpec, type ValueKind } from './schema.ts';
export type {
  ConfigError,
  ConfigErrorCode,
  ConfigSource,
  CryptoBackendName,
  FlagValue,
  HostPort,
  LoadPeerConfigInput,
  PeerConfig,
} from './types.ts';

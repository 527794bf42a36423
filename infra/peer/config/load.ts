/**
 * `loadPeerConfig`: kaldrix.toml text + flags + environment → a frozen `PeerConfig`, or the
 * list of ALL problems, each naming the key path, the bad value, where it came from and what
 * is allowed. Never throws on any input text.
 *
 * DESIGN.md §3. Precedence, highest first: flags > environment (`KALDRIX_<SECTION>_<KEY>`) >
 * file > defaults (schema.ts). A list given by a higher layer replaces the lower one whole (no
 * merging: an operator overriding `network.bootstrap` means exactly that list). Every layer
 * is checked, not only the winning one: a bad file stays an error even when a flag hides it,
 * so removing the flag later cannot surprise anyone. Unknown keys are errors in the file, in
 * flags, and in the environment under a known section prefix (`KALDRIX_NETWORK_*`); other
 * `KALDRIX_*` variables (e.g. KALDRIX_DEBUG) belong to other parts and are left alone.
 */
import { parse, TomlError } from 'smol-toml';
import { PARAM_SPECS } from '../../../core/state/index.ts';
import { err, ok, type Result } from '../../../core/result.ts';
import { buildPeerConfig, crossKeyErrors, type Checked } from './_build.ts';
import { checkValue, showValue, toTomlLike } from './_values.ts';
import { CONFIG_SECTIONS, KEY_SPECS, PEER_FLAG_ALIASES, SPEC_BY_PATH, envName, keyPath, type ConfigSection, type KeySpec } from './schema.ts';
import type { ConfigError, ConfigSource, LoadPeerConfigInput, PeerConfig } from './types.ts';

type Layer = Map<string, { readonly raw: unknown; readonly source: ConfigSource }>;

const PROTOCOL_PARAM_NAMES: ReadonlySet<string> = new Set(PARAM_SPECS.map((p) => p.name));
const FILE: ConfigSource = Object.freeze({ kind: 'file' });

const isTable = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
const sectionKeys = (section: ConfigSection | undefined): string[] => KEY_SPECS.filter((s) => s.section === section).map((s) => s.key);

function unknownKey(path: string, key: string, value: unknown, source: ConfigSource, allowed: string): ConfigError {
  if (PROTOCOL_PARAM_NAMES.has(key)) {
    return { code: 'PROTOCOL_PARAM', path, source, value: showValue(value), genesisName: `params.${key}`, allowed: `set it in the genesis as params.${key}; every node of the chain must agree on it` };
  }
  return { code: 'UNKNOWN_KEY', path, source, value: showValue(value), allowed };
}

function readFileLayer(root: Record<string, unknown>, errors: ConfigError[]): Layer {
  const layer: Layer = new Map();
  const topAllowed = `${sectionKeys(undefined).join(', ')}, or a section ${CONFIG_SECTIONS.map((s) => `[${s}]`).join(', ')}`;
  for (const [name, value] of Object.entries(root)) {
    const section = CONFIG_SECTIONS.find((s) => s === name);
    if (section === undefined) {
      if (SPEC_BY_PATH.has(name)) layer.set(name, { raw: value, source: FILE });
      else errors.push(unknownKey(name, name, value, FILE, topAllowed));
      continue;
    }
    if (!isTable(value)) {
      errors.push({ code: 'WRONG_TYPE', path: name, source: FILE, value: showValue(value), allowed: `a table [${name}]` });
      continue;
    }
    for (const [key, inner] of Object.entries(value)) {
      const path = `${section}.${key}`;
      if (SPEC_BY_PATH.has(path)) layer.set(path, { raw: inner, source: FILE });
      else errors.push(unknownKey(path, key, inner, FILE, `one of the keys of [${section}]: ${sectionKeys(section).join(', ')}`));
    }
  }
  return layer;
}

function readEnvLayer(env: LoadPeerConfigInput['env'], errors: ConfigError[]): Layer {
  const layer: Layer = new Map();
  const known = new Map(KEY_SPECS.map((s) => [envName(s), s]));
  for (const [name, text] of Object.entries(env)) {
    if (text === undefined || !name.startsWith('KALDRIX_')) continue;
    const spec = known.get(name);
    if (spec !== undefined) {
      layer.set(keyPath(spec), { raw: toTomlLike(spec.kind, text), source: { kind: 'env', name } });
      continue;
    }
    const section = CONFIG_SECTIONS.find((s) => name.startsWith(`KALDRIX_${s.toUpperCase()}_`));
    if (section === undefined) continue;
    const key = name.slice(`KALDRIX_${section}_`.length).toLowerCase();
    const names = KEY_SPECS.filter((s) => s.section === section).map(envName);
    errors.push(unknownKey(`${section}.${key}`, key, text, { kind: 'env', name }, `one of ${names.join(', ')}`));
  }
  return layer;
}

function readFlagLayer(flags: LoadPeerConfigInput['flags'], errors: ConfigError[]): Layer {
  const layer: Layer = new Map();
  for (const [name, raw] of Object.entries(flags)) {
    if (raw === undefined) continue;
    const path = PEER_FLAG_ALIASES[name] ?? name;
    const source: ConfigSource = { kind: 'flag', name: `--${name}` };
    const spec = SPEC_BY_PATH.get(path);
    if (spec === undefined) {
      const key = path.slice(path.indexOf('.') + 1);
      errors.push(unknownKey(path, key, raw, source, `a key path such as network.min_peers, or one of --${Object.keys(PEER_FLAG_ALIASES).join(', --')}`));
      continue;
    }
    if (layer.has(path)) {
      errors.push({ code: 'CONFLICT', path, source, value: showValue(raw), allowed: 'one flag per key', otherPath: path });
      continue;
    }
    layer.set(path, { raw: toTomlLike(spec.kind, raw), source });
  }
  return layer;
}

/** Checks every layer's value of `spec` and returns the winning one (or the fallback). */
function resolveKey(spec: KeySpec, layers: readonly Layer[], errors: ConfigError[]): { value: unknown; source: ConfigSource } | undefined {
  const path = keyPath(spec);
  let winner: { value: unknown; source: ConfigSource } | undefined;
  for (const layer of layers) {
    const entry = layer.get(path);
    if (entry === undefined) continue;
    const checked = checkValue(spec.kind, entry.raw, { path, source: entry.source });
    if (!checked.ok) errors.push(checked.error);
    else winner ??= { value: checked.value, source: entry.source };
  }
  if (winner !== undefined) return winner;
  if (spec.fallback.type === 'default') {
    // Defaults go through the same check (a host:port text becomes a HostPort); failing it is a schema bug.
    const checked = checkValue(spec.kind, spec.fallback.value, { path, source: { kind: 'default' } });
    if (!checked.ok) throw new Error(`config schema: the default of ${path} is invalid (${checked.error.code})`);
    return { value: checked.value, source: { kind: 'default' } };
  }
  if (spec.fallback.type === 'optional') return { value: undefined, source: { kind: 'default' } };
  const hint = `set ${path} in kaldrix.toml, ${envName(spec)} in the environment, or the --${path} flag`;
  errors.push({ code: 'MISSING', path, source: { kind: 'default' }, value: '(nothing)', allowed: hint });
  return undefined;
}

function parseToml(text: string): Result<Record<string, unknown>, ConfigError> {
  try {
    return ok(parse(text));
  } catch (e) {
    if (!(e instanceof TomlError)) throw e;
    const message = e.message.split('\n')[0] ?? e.message;
    return err({ code: 'TOML_SYNTAX', line: e.line, column: e.column, message });
  }
}

export function loadPeerConfig(input: LoadPeerConfigInput): Result<PeerConfig, readonly ConfigError[]> {
  const errors: ConfigError[] = [];
  let fileLayer: Layer = new Map();
  if (input.tomlText !== undefined) {
    const root = parseToml(input.tomlText);
    if (!root.ok) return err(Object.freeze([root.error]));
    fileLayer = readFileLayer(root.value, errors);
  }
  const layers = [readFlagLayer(input.flags, errors), readEnvLayer(input.env, errors), fileLayer];
  const values = new Map<string, { value: unknown; source: ConfigSource }>();
  for (const spec of KEY_SPECS) {
    const resolved = resolveKey(spec, layers, errors);
    if (resolved !== undefined) values.set(keyPath(spec), resolved);
  }
  if (errors.length > 0) return err(Object.freeze(errors));
  const checked: Checked = values;
  const config = buildPeerConfig(checked);
  const conflicts = crossKeyErrors(config, checked);
  return conflicts.length > 0 ? err(Object.freeze(conflicts)) : ok(config);
}

import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseGenesis } from './genesis.ts';
import { genesisAccounts, genesisHash } from './genesisCodec.ts';
import { buildExampleGenesisText } from './genesisExample.ts';
import { worstCaseQuorumCount } from './genesisParams.ts';
import { backend } from './test/fixtures.ts';

const exampleText = readFileSync(new URL('./genesis.example.json', import.meta.url), 'utf8');
const example = JSON.parse(exampleText) as {
  accounts: Record<string, unknown>[];
  validators: Record<string, unknown>[];
  params: Record<string, unknown>;
  [k: string]: unknown;
};
const clone = () => structuredClone(example);

describe('genesis example', () => {
  it('is exactly what the documented seeds produce', () => {
    expect(exampleText).toBe(buildExampleGenesisText(backend));
  });

  it('parses: 4 validators, sorted lists, defaults filled, stable hash', () => {
    const r = parseGenesis(exampleText);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    const g = r.value;
    expect(g.validators).toHaveLength(4);
    expect(g.params.maxParents).toBe(16);
    expect(g.params.leaderTimeoutMs).toBe(200);
    expect(Object.isFrozen(g) && Object.isFrozen(g.validators) && Object.isFrozen(g.params)).toBe(true);
    const shuffled = clone();
    shuffled.validators.reverse();
    shuffled.accounts.reverse();
    const again = parseGenesis(JSON.stringify(shuffled));
    expect(again.ok && genesisHash(again.value)).toEqual(genesisHash(g));
    const changed = clone();
    changed.genesis_time_ms = 1;
    const other = parseGenesis(JSON.stringify(changed));
    expect(other.ok && genesisHash(other.value)).not.toEqual(genesisHash(g));
  });

  it('initial accounts merge balances and stakes per address', () => {
    const r = parseGenesis(exampleText);
    if (!r.ok) throw new Error('example must parse');
    const entries = genesisAccounts(r.value);
    expect(entries).toHaveLength(6); // 4 validators + 2 non-validator accounts
    const v0 = entries.find((e) => e.account.stake > 0n && e.account.balance > 0n);
    expect(v0?.account).toMatchObject({ balance: 1_000_000n, stake: 10_000_000n, nonce: 0n });
    expect(entries.filter((e) => e.account.key === undefined)).toHaveLength(1); // the hybrid account known by address
  });
});

type Edit = (g: ReturnType<typeof clone>) => void;
const table: readonly { readonly name: string; readonly edit: Edit; readonly path: string; readonly message: RegExp }[] = [
  { name: 'unknown top-level key', edit: (g) => { g.extra = 1; }, path: 'extra', message: /unknown key; allowed: chain_id/ },
  { name: 'missing chain_id', edit: (g) => { delete g.chain_id; }, path: 'chain_id', message: /is required/ },
  { name: 'bad chain_id', edit: (g) => { g.chain_id = 'Main Net'; }, path: 'chain_id', message: /1–32 characters of a–z/ },
  { name: 'negative time', edit: (g) => { g.genesis_time_ms = -5; }, path: 'genesis_time_ms', message: /integer in \[0, / },
  { name: 'unknown param', edit: (g) => { g.params.max_parent = 3; }, path: 'params.max_parent', message: /unknown key; allowed: .*max_parents/ },
  { name: 'chain_id inside params', edit: (g) => { g.params.chain_id = 'x'; }, path: 'params.chain_id', message: /top level/ },
  { name: 'param out of range', edit: (g) => { g.params.slash_fraction = 10_001; }, path: 'params.slash_fraction', message: /integer in \[0, 10000\], got 10001/ },
  { name: 'amount param as number', edit: (g) => { g.params.min_validator_stake = 5; }, path: 'params.min_validator_stake', message: /decimal string/ },
  { name: 'max_parents below quorum', edit: (g) => { g.params.max_parents = 2; }, path: 'params.max_parents', message: /≥ the quorum count of the validator set \(3\), got 2/ },
  { name: 'leader timeout ≤ round delay', edit: (g) => { g.params.leader_timeout_ms = 50; }, path: 'params.leader_timeout_ms', message: /> min_round_delay_ms \(50\)/ },
  { name: 'block time below round delay', edit: (g) => { g.params.block_time_target_ms = 10; }, path: 'params.block_time_target_ms', message: /≥ min_round_delay_ms/ },
  { name: 'checkpoint interval below block time', edit: (g) => { g.params.checkpoint_interval_ms = 99; }, path: 'params.checkpoint_interval_ms', message: /≥ block_time_target_ms/ },
  { name: 'max_tx_bytes too small for evidence', edit: (g) => { g.params.max_tx_bytes = 32_768; }, path: 'params.max_tx_bytes', message: /largest evidence transaction/ },
  { name: 'mempool smaller than a tx', edit: (g) => { g.params.max_mempool_bytes = 1000; }, path: 'params.max_mempool_bytes', message: /≥ max_tx_bytes/ },
  { name: 'no validators', edit: (g) => { g.validators = []; }, path: 'validators', message: /array of 1 to 10000 entries, got 0 entries/ },
  { name: 'validators not an array', edit: (g) => { g.validators = {} as never; }, path: 'validators', message: /got an object/ },
  { name: 'bad address', edit: (g) => { g.accounts[0]!.address = 'kdx1qqq'; }, path: 'accounts[0].address', message: /kdx1… bech32m address/ },
  { name: 'balance as number', edit: (g) => { g.accounts[0]!.balance = 5; }, path: 'accounts[0].balance', message: /decimal string/ },
  { name: 'balance above u64', edit: (g) => { g.accounts[0]!.balance = '18446744073709551616'; }, path: 'accounts[0].balance', message: /18446744073709551615/ },
  { name: 'stake in accounts', edit: (g) => { g.accounts[0]!.stake = '5'; }, path: 'accounts[0].stake', message: /validators\[\]/ },
  { name: 'scheme without key', edit: (g) => { delete g.accounts[0]!.public_key; }, path: 'accounts[0]', message: /both scheme and public_key/ },
  { name: 'unknown scheme', edit: (g) => { g.validators[1]!.scheme = 'rsa'; }, path: 'validators[1].scheme', message: /signature scheme name/ },
  { name: 'key not hex', edit: (g) => { g.validators[1]!.public_key = 'zz'; }, path: 'validators[1].public_key', message: /in hex/ },
  { name: 'key of wrong length', edit: (g) => { g.validators[1]!.public_key = 'abcd'; }, path: 'validators[1].public_key', message: /1312 bytes for ml-dsa-44, got 2/ },
  { name: 'key does not derive address', edit: (g) => { g.validators[1]!.public_key = g.validators[2]!.public_key; }, path: 'validators[1].public_key', message: /does not derive the address/ },
  { name: 'stake below minimum', edit: (g) => { g.validators[0]!.stake = '999999'; }, path: 'validators[0].stake', message: /\[1000000, / },
  { name: 'duplicate validator', edit: (g) => { g.validators[3] = g.validators[0]!; }, path: 'validators[3].address', message: /duplicate address; first given at validators\[0\]/ },
  { name: 'duplicate account', edit: (g) => { g.accounts.push(g.accounts[1]!); }, path: 'accounts[3].address', message: /duplicate address/ },
  {
    name: 'account key differs from validator key',
    edit: (g) => { g.accounts[2] = { ...g.validators[0]!, balance: '1' }; delete g.accounts[2].stake; g.validators[0] = { ...g.validators[0]!, scheme: 'ml-dsa-65' }; },
    path: 'validators[0].public_key', message: /1952 bytes for ml-dsa-65/,
  },
  { name: 'supply above u64', edit: (g) => { g.accounts[0]!.balance = '18446744073709551615'; }, path: 'accounts', message: /total supply/ },
];

describe('parseGenesis errors', () => {
  for (const c of table) {
    it(`${c.name} → ${c.path}`, () => {
      const g = clone();
      c.edit(g);
      const r = parseGenesis(JSON.stringify(g));
      expect(r.ok).toBe(false);
      if (r.ok) return;
      const hit = r.error.find((e) => e.path === c.path);
      expect(hit, JSON.stringify(r.error)).toBeDefined();
      expect(hit?.message).toMatch(c.message);
    });
  }

  it('collects every problem at once', () => {
    const g = clone();
    g.chain_id = '';
    g.params.max_parents = 0;
    g.validators[0]!.stake = '1';
    const r = parseGenesis(JSON.stringify(g));
    expect(!r.ok && r.error.map((e) => e.path)).toEqual(expect.arrayContaining(['chain_id', 'params.max_parents', 'validators[0].stake']));
  });

  it('not JSON, or not an object', () => {
    expect(parseGenesis('{')).toMatchObject({ ok: false, error: [{ path: '', message: expect.stringMatching(/not valid JSON/) }] });
    expect(parseGenesis('[]')).toMatchObject({ ok: false, error: [{ path: '', message: 'must be an object, got an array' }] });
  });

  it('never throws on random JSON, nor on random mutations of the example', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => {
      expect(parseGenesis(JSON.stringify(v)).ok).toBe(false);
    }), { numRuns: 300 });
    fc.assert(fc.property(fc.string(), (s) => { parseGenesis(s); }), { numRuns: 300 });
    const keys = ['chain_id', 'genesis_time_ms', 'params', 'accounts', 'validators'];
    fc.assert(fc.property(fc.constantFrom(...keys), fc.jsonValue(), (k, v) => {
      const g: Record<string, unknown> = clone();
      g[k] = v;
      const r = parseGenesis(JSON.stringify(g));
      if (!r.ok) expect(r.error.length).toBeGreaterThan(0);
    }), { numRuns: 100 });
  });

  it('bounds the error list', () => {
    const g = clone();
    g.accounts = Array.from({ length: 300 }, () => ({ address: 'nope', balance: 'x' }));
    const r = parseGenesis(JSON.stringify(g));
    expect(!r.ok && r.error.length).toBe(101);
    expect(!r.ok && r.error.at(-1)?.message).toMatch(/and \d+ more problems/);
  });
});

describe('worstCaseQuorumCount', () => {
  it('counts the smallest stakes first', () => {
    expect(worstCaseQuorumCount([1n, 1n, 1n, 1n])).toBe(3);
    expect(worstCaseQuorumCount(Array.from({ length: 100 }, () => 5n))).toBe(67);
    expect(worstCaseQuorumCount([100n, 1n, 1n, 1n])).toBe(4);
    expect(worstCaseQuorumCount([10n])).toBe(1);
  });
});

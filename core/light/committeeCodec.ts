/**
 * A committee as bytes, and its hash: how the light client stores the committee it trusts and
 * names the committees of its epoch chain.
 *
 * Encoding (docs/codec.md): u64 epoch || list{1..10,000}(address 33 B || varint-prefixed tagged
 * key || u64 stake), strictly ascending by address, stakes > 0 — the member layout of a
 * checkpoint's `nextCommittee` (docs/protocol.md "Format"), with the epoch in front. Member
 * indices, the total and the quorum are not stored: `createCommittee` derives them, so a
 * decoded committee can never carry a quorum that disagrees with its stakes.
 * committeeHash = hashDomain('kaldrix/light/committee-hash/v1', encoding).
 */
import { list, map, refine, struct, u64, type Codec, type DecodeError } from '../codec/index.ts';
import { createCommittee, MAX_COMMITTEE_SIZE, type Committee } from '../consensus/index.ts';
import { compareBytes, createDomainHash, type Hash32 } from '../crypto/index.ts';
import type { Result } from '../result.ts';
import { addressCodec, amountCodec, publicKeyCodec } from '../state/index.ts';

export const COMMITTEE_HASH_DOMAIN = 'kaldrix/light/committee-hash/v1';

type WireMember = Pick<Committee['members'][number], 'address' | 'key' | 'stake'>;
type WireCommittee = { readonly epoch: bigint; readonly members: readonly WireMember[] };

function membersProblem(members: readonly WireMember[]): string | undefined {
  if (members.length === 0) return 'a committee needs at least one member';
  for (let i = 0; i < members.length; i++) {
    const m = members[i] as WireMember;
    if (m.stake <= 0n) return `member ${i} has zero stake`;
    // Strict order: one encoding per committee, and no member twice.
    if (i > 0 && compareBytes((members[i - 1] as WireMember).address, m.address) >= 0) return `members must be strictly ascending by address (member ${i})`;
  }
  return undefined;
}

const wireCommitteeCodec: Codec<WireCommittee> = struct({
  epoch: u64,
  members: refine(list(struct({ address: addressCodec, key: publicKeyCodec, stake: amountCodec }), { maxItems: MAX_COMMITTEE_SIZE }), membersProblem),
});

/** The committee codec: decoding rebuilds the committee (indices, total, quorum) with `createCommittee`. */
export const committeeCodec: Codec<Committee> = map(wireCommitteeCodec, {
  fromWire: (wire) => createCommittee(wire.epoch, wire.members),
  toWire: (committee) => ({
    epoch: committee.epoch,
    members: committee.members.map((m) => ({ address: m.address, key: m.key, stake: m.stake })),
  }),
});

export const encodeCommittee = (committee: Committee): Uint8Array => committeeCodec.encode(committee);

/** Decodes untrusted bytes (at most `maxBytes`); the committee is frozen. */
export function decodeCommittee(bytes: Uint8Array, maxBytes?: number): Result<Committee, DecodeError> {
  return committeeCodec.decode(bytes, maxBytes === undefined ? {} : { maxBytes });
}

const committeeDigest = createDomainHash(COMMITTEE_HASH_DOMAIN);

/** The committee's name in the epoch chain: a hash of its epoch, members, keys and stakes. */
export function committeeHash(committee: Committee): Hash32 {
  return committeeDigest(encodeCommittee(committee));
}

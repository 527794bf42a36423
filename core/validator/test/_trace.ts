// Test support only: one short line per interesting validator effect — what the golden
// transcripts (../testdata/*.txt) hold. Authors are named by who they are ('v<i>' for genesis
// validators, 'u<i>' for users), whatever their member index in the current epoch.
import type { Committee } from '../../consensus/committee.ts';
import { addressFromPublicKey, schemeInfo, toHex } from '../../crypto/index.ts';
import type { VertexRef } from '../../dag/index.ts';
import { decodeSlotHeader } from '../../state/index.ts';
import type { CommittedOutput, ValidatorEffect } from '../types.ts';
import type { Chain } from './harness.ts';

const short = (bytes: Uint8Array): string => toHex(bytes).slice(0, 8);

/** The genesis member an address belongs to ('v<i>'), or the address's first bytes. */
function nameOf(chain: Chain, address: Uint8Array): string {
  const member = chain.committee.members.find((m) => toHex(m.address) === toHex(address));
  if (member !== undefined) return `v${member.index}`;
  const user = chain.users.findIndex((k) => toHex(addressFromPublicKey(schemeInfo(k.scheme).tag, k.publicKey)) === toHex(address));
  return user >= 0 ? `u${user}` : short(address);
}

/** Lines for the evidence a commit executed: what slashed, and what was refused. */
function describeEvidence(chain: Chain, effect: CommittedOutput): string[] {
  return effect.evidence.map((o) => {
    if (!o.ok) return `evidence refused ${o.error.code} (commit #${effect.commitIndex})`;
    const slot = decodeSlotHeader(o.value.evidence.first.message);
    const what = o.value.evidence.context === 'vertex' ? `r${slot?.roundOrSequence ?? '?'}` : `checkpoint seq=${slot?.roundOrSequence ?? '?'}`;
    return `slash ${nameOf(chain, o.value.evidence.offender)} for ${what} by ${o.value.slashed} (commit #${effect.commitIndex})`;
  });
}

/** Names authors (member indices of the node's current committee) by who they are: 'v<i>' for genesis validators, 'u<i>' for users. */
type Namer = (author: number) => string;

function namer(chain: Chain, committee: Committee): Namer {
  return (author) => {
    const member = committee.members[author];
    return member === undefined ? `#${author}` : nameOf(chain, member.address);
  };
}

/** One line per interesting effect (a commit may add its evidence lines): what the golden transcripts hold. */
export function describe(chain: Chain, committee: Committee, effect: ValidatorEffect): string[] {
  const line = describeOne(chain, namer(chain, committee), effect);
  const lines = line === undefined ? [] : [line];
  if (effect.type === 'committed') lines.push(...describeEvidence(chain, effect));
  return lines;
}

function describeOne(chain: Chain, name: Namer, effect: ValidatorEffect): string | undefined {
  const refText = (ref: VertexRef): string => `r${ref.round}/${name(ref.author)}`;
  switch (effect.type) {
    case 'proposed': {
      const parents = effect.parents.map((p) => (p.round === effect.ref.round - 1 ? name(p.author) : refText(p)));
      const extra = `${effect.evidence > 0 ? ` evidence=${effect.evidence}` : ''}${effect.vote !== undefined ? ` vote=${effect.vote}` : ''}`;
      return `propose r${effect.ref.round} parents=[${parents.join(',')}] txs=${effect.transactions}${extra}`;
    }
    case 'committed': {
      const txs = effect.receipts.length;
      return `commit #${effect.commitIndex} leader ${refText(effect.leader)} ${effect.how} vertices=${effect.vertices.length} txs=${txs} digest=${short(effect.commitDigest)} root=${short(effect.stateRoot)}`;
    }
    case 'skipped':
      return `skip leader r${effect.round}/${name(effect.leader)} ${effect.how} (view change)`;
    case 'leaderTimeout':
      return `timeout waiting for leader r${effect.round}/${name(effect.leader)}`;
    case 'checkpointCertified': {
      const c = effect.certificate.checkpoint;
      const next = c.nextCommittee === undefined ? '' : ` next=[${c.nextCommittee.map((m) => nameOf(chain, m.address)).join(',')}]`;
      return `certified checkpoint epoch=${c.epoch} seq=${c.sequence} commit=${c.lastCommitIndex} signatures=${effect.certificate.signatures.length}${next}`;
    }
    case 'epochChanged': {
      const members = effect.committee.members.map((m) => nameOf(chain, m.address)).join(',');
      const seat = effect.selfIndex === undefined ? 'observer' : `seat ${effect.selfIndex}`;
      return `epoch ${effect.epoch} starts: committee=[${members}] ${seat}, first commit #${effect.firstCommitIndex}`;
    }
    case 'evidenceFound':
      return effect.slot.context === 'vertex'
        ? `evidence equivocation r${effect.slot.round}/${name(effect.author)}`
        : `evidence checkpoint equivocation seq=${effect.slot.sequence} by ${name(effect.author)}`;
    case 'penalize':
      return `penalize ${effect.peer} ${effect.reason}`;
    case 'fetch':
      return process.env.KALDRIX_TRACE_FETCH === '1' ? `fetch from ${effect.from ?? 'any'} ${effect.refs.map(refText).join(',')}` : undefined;
    default:
      return undefined;
  }
}


/**
 * A verified account for the page: the address text parsed as everywhere else (bech32m,
 * core/crypto `parseAddress`), one peer's proof checked against the certified head's state
 * root (core/light `verifyAccount`), and a second peer's identical answer added to the receipt
 * (cross-checking, `withServingPeer`). DESIGN.md §2 Light client: never show an unverified
 * value as verified; every answer carries its receipt.
 *
 * A peer whose proof was made against another root (`WRONG_ROOT`) is usually on a newer
 * checkpoint: the head is refreshed from that peer and the query retried once. A proof that
 * is false (`BAD_PROOF`), for another address, or malformed is a lie: the peer is banned.
 * At most MAX_ACCOUNT_PEERS peers are asked per query.
 */
import { encodeAddress, parseAddress, bytesEqual } from '../../core/crypto/index.ts';
import { sameCertifiedCheckpoint, verifyAccount, withServingPeer, type AccountProofReject, type VerifiedAccount } from '../../core/light/index.ts';
import { accountProofRequestCodec, accountProofResponseCodec } from '../../core/net/index.ts';
import { err, ok, type Result } from '../../core/result.ts';
import { accountCodec, type Address } from '../../core/state/index.ts';
import { askPeer, refreshFrom } from './_certificates.ts';
import { ban, type SessionContext } from './_context.ts';
import { isUsable, type PeerEntry } from './_peers.ts';
import type { LightError, VerifiedAccountView } from './protocol.ts';

/** Peers asked for one account at most: enough to get past a liar or two and cross-check once. */
export const MAX_ACCOUNT_PEERS = 4;

type Asked = Result<VerifiedAccount, { readonly kind: 'unanswered' } | { readonly kind: 'rejected'; readonly reject: AccountProofReject }>;

async function askAccount(ctx: SessionContext, peer: PeerEntry, address: Address): Promise<Asked> {
  const answer = await askPeer(ctx, peer, 'accountProof', accountProofRequestCodec.encode(address));
  if (answer === undefined) return err({ kind: 'unanswered' });
  const decoded = accountProofResponseCodec.decode(answer);
  if (!decoded.ok) return err({ kind: 'rejected', reject: { code: 'MALFORMED_PROOF', reason: decoded.error } });
  if (decoded.value === undefined) return err({ kind: 'unanswered' });
  const verified = verifyAccount(ctx.light, address, decoded.value, [peer.peerId]);
  return verified.ok ? verified : err({ kind: 'rejected', reject: verified.error });
}

/** One peer's verified answer, refreshing the head from it once when it proved against another root. */
async function answerFrom(ctx: SessionContext, peer: PeerEntry, address: Address): Promise<Asked> {
  const first = await askAccount(ctx, peer, address);
  if (first.ok || first.error.kind !== 'rejected' || first.error.reject.code !== 'WRONG_ROOT') return first;
  const refreshed = await refreshFrom(ctx, peer);
  if (!refreshed.ok || refreshed.value === 'refused' || !isUsable(peer)) return first;
  return askAccount(ctx, peer, address);
}

const sameAnswer = (a: VerifiedAccount, b: VerifiedAccount): boolean =>
  a.exists === b.exists && sameCertifiedCheckpoint(a.receipt, b.receipt) && bytesEqual(accountCodec.encode(a.account), accountCodec.encode(b.account));

/** Peers to ask: usable ones, those that served the head's checkpoint first. */
function candidates(ctx: SessionContext): PeerEntry[] {
  const headSequence = ctx.head?.receipt.sequence;
  const usable = ctx.peers.filter(isUsable);
  const onHead = usable.filter((p) => p.verifiedSequence === headSequence);
  return [...onHead, ...usable.filter((p) => p.verifiedSequence !== headSequence)].slice(0, MAX_ACCOUNT_PEERS);
}

export async function lookUpAccount(ctx: SessionContext, addressText: string): Promise<Result<VerifiedAccountView, LightError>> {
  const parsed = parseAddress(addressText.trim());
  if (!parsed.ok) return err({ code: 'BAD_ADDRESS', message: `${JSON.stringify(addressText.slice(0, 100))} is not an address (${parsed.error.code})` });
  if (ctx.light.head === undefined) return err({ code: 'NO_VERIFIED_HEAD', message: 'no certified checkpoint verified yet: there is no state root to check a proof against' });
  const address = parsed.value;
  let found: VerifiedAccount | undefined;
  const rejected: string[] = [];
  for (const peer of candidates(ctx)) {
    if (!isUsable(peer)) continue;
    const answer = await answerFrom(ctx, peer, address);
    if (!answer.ok) {
      if (answer.error.kind === 'rejected') {
        const line = `${answer.error.reject.code} from ${peer.peerId}`;
        rejected.push(line);
        // WRONG_ROOT after a refresh: the peer is on another checkpoint (or lies about it); it is not banned for that.
        if (answer.error.reject.code !== 'WRONG_ROOT') ban(ctx, peer, `${answer.error.reject.code}: served a false account proof`);
      }
      continue;
    }
    if (found === undefined) {
      found = answer.value;
      continue;
    }
    if (sameAnswer(found, answer.value)) found = { ...found, receipt: withServingPeer(found.receipt, peer.peerId) };
    break;
  }
  if (found !== undefined) return ok(Object.freeze({ addressText: encodeAddress(address), account: found.account, exists: found.exists, receipt: found.receipt }));
  if (rejected.length > 0) return err({ code: 'PROOF_REJECTED', message: `no proof verified against the certified state root: ${rejected.join('; ')}` });
  return err({ code: 'NO_PEER_ANSWERED', message: 'no connected peer answered the account query' });
}

/**
 * Runs the PQ handshake over a frame channel: Hello, Finish, Confirm in each direction, both
 * sides sending before they read, so the exchange takes three one-way delays (docs/pq-links.md).
 *
 * Every way the remote can misbehave is a typed `HandshakeReject`; the caller disconnects and
 * penalizes on any of them. A seat claim is believed only when its signature verifies against
 * the committee key of that seat, under the FIPS 204 context `kaldrix/peer-handshake/v1`.
 */
import {
  CONTEXTS,
  bytesEqual,
  contextBytes,
  decodeSignature,
  encodeSignature,
  kemDecapsulate,
  kemEncapsulate,
  kemKeygen,
  verifySignature,
  KEM_PARAMS,
  type KemError,
  type SignatureBackend,
  type Signer,
  type TaggedPublicKey,
} from '../../../core/crypto/index.ts';
import type { DecodeError } from '../../../core/codec/index.ts';
import { err, ok, type Result } from '../../../core/result.ts';
import type { FrameError } from './_frames.ts';
import {
  PQ_HANDSHAKE_VERSION,
  PQ_KEM,
  confirmCodec,
  deriveLinkKeys,
  finishCodec,
  helloCodec,
  seatSigningMessage,
  transcriptHash,
  type HandshakeRole,
  type LinkKeys,
} from './pqHandshake.ts';
import { createPqSession, type PqSession } from './pqSession.ts';

export type ValidatorKey = { readonly index: number; readonly publicKey: TaggedPublicKey };

export type HandshakeReject =
  | { readonly code: 'FRAME'; readonly error: FrameError }
  | { readonly code: 'DECODE'; readonly message: 'hello' | 'finish' | 'confirm'; readonly error: DecodeError }
  | { readonly code: 'VERSION'; readonly version: number }
  | { readonly code: 'CHAIN_ID'; readonly chainId: string }
  | { readonly code: 'KEM'; readonly error: KemError }
  | { readonly code: 'UNKNOWN_SEAT'; readonly seat: number }
  | { readonly code: 'BAD_SEAT_SIGNATURE'; readonly seat: number }
  | { readonly code: 'BAD_CONFIRMATION' };

export interface HandshakeChannel {
  send(frame: Uint8Array): Promise<Result<void, FrameError>>;
  receive(): Promise<Result<Uint8Array, FrameError>>;
}

export type HandshakeInit = {
  readonly role: HandshakeRole;
  readonly chainId: string;
  readonly localPeerId: string;
  readonly remotePeerId: string;
  /** Cryptographic randomness of `length` bytes. */
  readonly random: (length: number) => Uint8Array;
  /** This peer's validator seat and the signer of its committee key, when it is a validator. */
  readonly seat: { readonly index: number; readonly signer: Signer } | undefined;
  readonly validatorKeys: () => readonly ValidatorKey[];
  readonly backend: SignatureBackend;
};

export type HandshakeOutcome = { readonly session: PqSession; readonly keys: LinkKeys };

export async function runPqHandshake(channel: HandshakeChannel, init: HandshakeInit): Promise<Result<HandshakeOutcome, HandshakeReject>> {
  const ephemeral = kemKeygen(PQ_KEM, init.random(KEM_PARAMS[PQ_KEM].seedBytes));
  if (!ephemeral.ok) throw new Error('runPqHandshake: X-Wing keygen refused a fresh seed');
  try {
    const sent = await channel.send(helloCodec.encode({ version: PQ_HANDSHAKE_VERSION, chainId: init.chainId, ephemeralPublicKey: ephemeral.value.publicKey }));
    if (!sent.ok) return err({ code: 'FRAME', error: sent.error });
    const hello = await receiveHello(channel, init.chainId);
    if (!hello.ok) return hello;
    const own = ephemeral.value.publicKey;
    const transcript = transcriptHash({
      chainId: init.chainId,
      initiatorPeerId: init.role === 'initiator' ? init.localPeerId : init.remotePeerId,
      responderPeerId: init.role === 'initiator' ? init.remotePeerId : init.localPeerId,
      initiatorEphemeral: init.role === 'initiator' ? own : hello.value,
      responderEphemeral: init.role === 'initiator' ? hello.value : own,
    });
    const encapsulated = kemEncapsulate(PQ_KEM, hello.value, init.random(KEM_PARAMS[PQ_KEM].randomnessBytes));
    if (!encapsulated.ok) return err({ code: 'KEM', error: encapsulated.error });
    const seat = init.seat === undefined ? undefined : await signSeat(init.seat, transcript, init.role);
    const finishSent = await channel.send(finishCodec.encode({ ciphertext: encapsulated.value.ciphertext, seat }));
    if (!finishSent.ok) return err({ code: 'FRAME', error: finishSent.error });

    const finish = await receiveFinish(channel);
    if (!finish.ok) return finish;
    const remoteSecret = kemDecapsulate(PQ_KEM, finish.value.ciphertext, ephemeral.value.secretKey);
    if (!remoteSecret.ok) return err({ code: 'KEM', error: remoteSecret.error });
    const remoteRole: HandshakeRole = init.role === 'initiator' ? 'responder' : 'initiator';
    const remoteSeat = finish.value.seat === undefined ? undefined : checkSeat(finish.value.seat, transcript, remoteRole, init);
    if (remoteSeat !== undefined && !remoteSeat.ok) return remoteSeat;

    const initiator = init.role === 'initiator';
    const keys = deriveLinkKeys({
      transcript,
      initiatorSecret: initiator ? encapsulated.value.sharedSecret : remoteSecret.value,
      responderSecret: initiator ? remoteSecret.value : encapsulated.value.sharedSecret,
      initiatorCiphertext: initiator ? encapsulated.value.ciphertext : finish.value.ciphertext,
      responderCiphertext: initiator ? finish.value.ciphertext : encapsulated.value.ciphertext,
    });
    const confirmed = await exchangeConfirm(channel, initiator ? keys.initiatorConfirm : keys.responderConfirm, initiator ? keys.responderConfirm : keys.initiatorConfirm);
    if (!confirmed.ok) return confirmed;
    const session = createPqSession({
      sendKey: initiator ? keys.initiatorToResponder : keys.responderToInitiator,
      receiveKey: initiator ? keys.responderToInitiator : keys.initiatorToResponder,
      sessionId: keys.sessionId,
      remoteSeat: remoteSeat?.value,
    });
    return ok(Object.freeze({ session, keys }));
  } finally {
    ephemeral.value.secretKey.fill(0);
  }
}

async function receiveHello(channel: HandshakeChannel, chainId: string): Promise<Result<Uint8Array, HandshakeReject>> {
  const frame = await channel.receive();
  if (!frame.ok) return err({ code: 'FRAME', error: frame.error });
  const hello = helloCodec.decode(frame.value);
  if (!hello.ok) return err({ code: 'DECODE', message: 'hello', error: hello.error });
  if (hello.value.version !== PQ_HANDSHAKE_VERSION) return err({ code: 'VERSION', version: hello.value.version });
  if (hello.value.chainId !== chainId) return err({ code: 'CHAIN_ID', chainId: hello.value.chainId });
  return ok(hello.value.ephemeralPublicKey);
}

type Finish = ReturnType<typeof finishCodec.decode> extends Result<infer T, DecodeError> ? T : never;

async function receiveFinish(channel: HandshakeChannel): Promise<Result<Finish, HandshakeReject>> {
  const frame = await channel.receive();
  if (!frame.ok) return err({ code: 'FRAME', error: frame.error });
  const finish = finishCodec.decode(frame.value);
  if (!finish.ok) return err({ code: 'DECODE', message: 'finish', error: finish.error });
  return ok(finish.value);
}

async function signSeat(seat: NonNullable<HandshakeInit['seat']>, transcript: Uint8Array, role: HandshakeRole): Promise<{ index: number; signature: Uint8Array }> {
  const signature = await seat.signer.sign(seatSigningMessage(transcript, role, seat.index), contextBytes(CONTEXTS.peerHandshake));
  return { index: seat.index, signature: encodeSignature(signature) };
}

function checkSeat(
  claim: { readonly index: number; readonly signature: Uint8Array },
  transcript: Uint8Array,
  remoteRole: HandshakeRole,
  init: HandshakeInit,
): Result<number, HandshakeReject> {
  const key = init.validatorKeys().find((k) => k.index === claim.index);
  if (key === undefined) return err({ code: 'UNKNOWN_SEAT', seat: claim.index });
  const signature = decodeSignature(claim.signature);
  if (!signature.ok || signature.value.scheme !== key.publicKey.scheme) return err({ code: 'BAD_SEAT_SIGNATURE', seat: claim.index });
  const valid = verifySignature(init.backend, {
    scheme: key.publicKey.scheme,
    publicKey: key.publicKey.publicKey,
    message: seatSigningMessage(transcript, remoteRole, claim.index),
    signature: signature.value.bytes,
    context: contextBytes(CONTEXTS.peerHandshake),
  });
  return valid ? ok(claim.index) : err({ code: 'BAD_SEAT_SIGNATURE', seat: claim.index });
}

async function exchangeConfirm(channel: HandshakeChannel, own: Uint8Array, expected: Uint8Array): Promise<Result<void, HandshakeReject>> {
  const sent = await channel.send(confirmCodec.encode(own));
  if (!sent.ok) return err({ code: 'FRAME', error: sent.error });
  const frame = await channel.receive();
  if (!frame.ok) return err({ code: 'FRAME', error: frame.error });
  const confirm = confirmCodec.decode(frame.value);
  if (!confirm.ok) return err({ code: 'DECODE', message: 'confirm', error: confirm.error });
  return bytesEqual(confirm.value, expected) ? ok(undefined) : err({ code: 'BAD_CONFIRMATION' });
}

/**
 * The light-client worker (DESIGN.md §2 Light client: "Runs in a Web Worker; the page talks to
 * it through a typed message protocol"). Protocol: protocol.ts; checks: messages.ts; the
 * session it runs: _session.ts.
 *
 * Every page message is checked first: a malformed one is answered with MALFORMED_MESSAGE (id -1
 * when it has no readable id) and never throws. Each request gets exactly one `reply`; an exception
 * inside a handler (a bug) becomes a WORKER_FAILED reply rather than a silent hang. `status` is
 * posted when something changed, at most STATUS_MAX_PER_SECOND times a second (the last change
 * is always posted). While connected, the session polls about every POLL_INTERVAL_MS, never
 * two polls at once.
 */
import { err, type Result } from '../../core/result.ts';
import { workerScope } from '../crypto/_workerScope.ts';
import { createLightSession, type LightSession } from './_session.ts';
import { openLightStore, type LightStore } from './_persist.ts';
import { createWorkerVerifier, type WorkerVerifier } from './_verifier.ts';
import { checkPageMessage, readRequestId } from './messages.ts';
import type { ConnectRequest, LightError, LightRequest, LightStatus, ReplyBody, WorkerMessage } from './protocol.ts';

const STATUS_MAX_PER_SECOND = 10;
const STATUS_MIN_GAP_MS = 1_000 / STATUS_MAX_PER_SECOND;
/** How often the newest certificate is asked of every peer: about a checkpoint interval. */
const POLL_INTERVAL_MS = 1_000;

const scope = workerScope();
/** Wall-clock ms: alarms carry it (`atMs`) and pages show it as a time of day. */
const clock = { nowMs: () => Date.now() };

const IDLE_STATUS: LightStatus = Object.freeze({ phase: 'idle', peers: [], epochSync: { done: 0, total: 0 }, head: undefined, resumed: undefined, alarms: [] });

let session: LightSession | undefined;
let verifier: WorkerVerifier | undefined;
let store: Promise<LightStore | undefined> | undefined;
let storeError: string | undefined;
let pollTimer: ReturnType<typeof setTimeout> | undefined;
let lastStatusMs = Number.NEGATIVE_INFINITY;
let statusTimer: ReturnType<typeof setTimeout> | undefined;

function post(message: WorkerMessage): void {
  scope.postMessage(message, []);
}

function postStatus(): void {
  statusTimer = undefined;
  lastStatusMs = clock.nowMs();
  const status = session?.status() ?? IDLE_STATUS;
  post({ type: 'status', status: storeError !== undefined && status.storageError === undefined ? { ...status, storageError: storeError } : status });
}

/** Posts now, or once the throttle's gap has passed (one timer at most; it sends the latest status). */
function statusChanged(): void {
  if (statusTimer !== undefined) return;
  const waitMs = lastStatusMs + STATUS_MIN_GAP_MS - clock.nowMs();
  if (waitMs <= 0) postStatus();
  else statusTimer = setTimeout(postStatus, waitMs);
}

function openStore(): Promise<LightStore | undefined> {
  store ??= openLightStore().then((opened) => {
    storeError = opened.ok ? undefined : opened.error.message;
    return opened.ok ? opened.value : undefined;
  });
  return store;
}

function schedulePoll(): void {
  pollTimer = setTimeout(() => {
    const current = session;
    if (current === undefined) return;
    current.poll().then(
      () => {
        if (session === current) schedulePoll();
      },
      (error: unknown) => {
        // A bug in a poll: report it on the status line's peers' behalf and keep following.
        storeError = `the light client's follow loop failed: ${error instanceof Error ? error.message : String(error)}`;
        statusChanged();
        if (session === current) schedulePoll();
      },
    );
  }, POLL_INTERVAL_MS);
}

async function stopSession(): Promise<void> {
  clearTimeout(pollTimer);
  const current = session;
  session = undefined;
  await current?.close();
  statusChanged();
}

async function connect(request: ConnectRequest): Promise<Result<ReplyBody, LightError>> {
  await stopSession();
  const { createLibp2pTransport } = await import('./_libp2p.ts');
  verifier ??= createWorkerVerifier();
  const components = { transport: await createLibp2pTransport({ allowLoopback: request.allowLoopback }), verifier, store: await openStore(), clock, onChange: statusChanged };
  const created = createLightSession(components, request);
  if (!created.ok) {
    await components.transport.stop();
    return created;
  }
  session = created.value;
  const started = await created.value.start();
  if (!started.ok) return started;
  if (session === created.value) schedulePoll();
  statusChanged();
  return { ok: true, value: { type: 'connect', resumed: started.value.resumed } };
}

async function forget(): Promise<Result<ReplyBody, LightError>> {
  if (session !== undefined) {
    const removed = await session.forget();
    return removed.ok ? { ok: true, value: { type: 'forget' } } : removed;
  }
  // No session yet: the chain is not known, so every stored state goes.
  const opened = await openStore();
  if (opened === undefined) return err({ code: 'STORAGE_FAILED', message: storeError ?? 'no storage' });
  const cleared = await opened.clear();
  return cleared.ok ? { ok: true, value: { type: 'forget' } } : cleared;
}

const notConnected = (): Result<never, LightError> => err({ code: 'NOT_CONNECTED', message: 'connect first: no light-client session is running' });

async function handle(body: LightRequest): Promise<Result<ReplyBody, LightError>> {
  switch (body.type) {
    case 'connect':
      return connect(body.request);
    case 'disconnect':
      await stopSession();
      return { ok: true, value: { type: 'disconnect' } };
    case 'forget':
      return forget();
    case 'account': {
      if (session === undefined) return notConnected();
      const account = await session.account(body.addressText);
      return account.ok ? { ok: true, value: { type: 'account', account: account.value } } : account;
    }
    case 'head': {
      if (session === undefined) return notConnected();
      const head = session.head();
      return head.ok ? { ok: true, value: { type: 'head', head: head.value } } : head;
    }
    case 'evidence': {
      if (session === undefined) return notConnected();
      const evidence = session.evidence();
      return evidence.ok ? { ok: true, value: { type: 'evidence', ...evidence.value } } : evidence;
    }
  }
}

function reply(id: number, result: Result<ReplyBody, LightError>): void {
  post(result.ok ? { type: 'reply', id, ok: true, body: result.value } : { type: 'reply', id, ok: false, error: result.error });
}

scope.onmessage = (event) => {
  const checked = checkPageMessage(event.data);
  if (!checked.ok) {
    // Without a readable id no request waits for this; -1 still tells a listening page why.
    reply(readRequestId(event.data) ?? -1, checked);
    return;
  }
  const { id, body } = checked.value;
  handle(body).then(
    (result) => reply(id, result),
    (error: unknown) => reply(id, err({ code: 'WORKER_FAILED', message: `the ${body.type} request failed: ${error instanceof Error ? error.message : String(error)}` })),
  );
};

statusChanged();

/**
 * The browser light client, explorer and wallet against a LIVE local devnet, as a person uses
 * them: connect the light client to four validators (one of which lies to light clients), watch
 * it sync a verified head, see the lying peer caught with downloadable evidence while the honest
 * head keeps advancing; import a funded devnet key into the wallet, see its verified balance,
 * send a transfer and watch it go from submitted to finalized with both balances updated and
 * verified; reload and see the client resume from the browser's storage.
 *
 * Black-box (HOUSE-RULES 1, 14): the devnet is started through the `kaldrix` CLI (a fresh chain
 * in a temporary directory, node v3 started with `--lying-node 3`: it validates honestly but
 * serves forged finality certificates); the test reads only the files the CLI writes (devnet.json,
 * genesis.json, a user's key file) and the nodes' public HTTP API, and drives the page by its
 * labels. Screenshots of each state are attached to the report.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page, type TestInfo } from '@playwright/test';

type DevnetNode = { readonly name: string; readonly peerId: string; readonly ws: string; readonly apiUrl: string };
type DevnetFile = { readonly nodes: readonly DevnetNode[]; readonly users: readonly { readonly name: string; readonly address: string; readonly keyPath: string }[] };

const LYING_NODE = 3;
/** A devnet start with tsx-run peers on a busy 2-core machine takes up to a minute or two. */
const DEVNET_READY_MS = 240_000;

let devnet: ChildProcess | undefined;
let dir = '';
let manifest: DevnetFile;
let genesisText = '';
const devnetOutput: string[] = [];

function startDevnet(): Promise<void> {
  dir = mkdtempSync(join(tmpdir(), 'kaldrix-e2e-light-'));
  // A port range of its own, away from `npm start`'s devnet (27000) and the process tests.
  const basePort = 31_000 + Math.floor(Math.random() * 40) * 50;
  const child = spawn(process.execPath, ['bin/kaldrix.mjs', 'devnet', '--data', dir, '--fresh', '--base-port', String(basePort), '--users', '2', '--lying-node', String(LYING_NODE)], {
    cwd: join(import.meta.dirname, '..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  devnet = child;
  const remember = (chunk: Buffer): void => {
    devnetOutput.push(...chunk.toString('utf8').split('\n').filter((line) => line.trim() !== ''));
    devnetOutput.splice(0, Math.max(0, devnetOutput.length - 60));
  };
  child.stderr?.on('data', remember);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the devnet was not ready within ${DEVNET_READY_MS} ms:\n${devnetOutput.join('\n')}`)), DEVNET_READY_MS);
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      remember(chunk);
      out += chunk.toString('utf8');
      if (out.includes('"ready":true')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the devnet stopped (exit ${code}):\n${devnetOutput.join('\n')}`));
    });
  });
}

async function stopDevnet(): Promise<void> {
  const child = devnet;
  if (child !== undefined && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 30_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
}

async function apiJson(url: string): Promise<Record<string, unknown>> {
  const response = await fetch(url);
  expect(response.ok, `${url} answers`).toBe(true);
  return (await response.json()) as Record<string, unknown>;
}

async function snap(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await testInfo.attach(name, { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
}

/** The number after `label` in `text` ("Sequence 12" → 12). */
function numberAfter(label: string, text: string | null): bigint {
  const match = new RegExp(`${label}\\s*([0-9][0-9,]*)`).exec(text ?? '');
  if (match === null) throw new Error(`no "${label} N" in: ${text}`);
  return BigInt((match[1] as string).replaceAll(',', ''));
}

async function verifiedSequence(page: Page): Promise<bigint> {
  return numberAfter('Sequence', await page.getByRole('region', { name: 'Verified head' }).textContent());
}

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(DEVNET_READY_MS + 30_000);
  await startDevnet();
  manifest = JSON.parse(readFileSync(join(dir, 'devnet.json'), 'utf8')) as DevnetFile;
  genesisText = readFileSync(join(dir, 'genesis.json'), 'utf8');
  // Wait until the chain has certified something a light client can verify.
  const honest = manifest.nodes[0] as DevnetNode;
  await expect.poll(async () => BigInt(String((await apiJson(`${honest.apiUrl}/v1/status`))['lastCertifiedSequence'] ?? '0')), { timeout: 120_000 }).toBeGreaterThan(0n);
});

test.afterAll(async () => {
  await stopDevnet();
});

test('the light client syncs, catches a lying peer, and the wallet finalizes a verified transfer', async ({ page }, testInfo) => {
  test.setTimeout(420_000);
  const liar = manifest.nodes[LYING_NODE] as DevnetNode;
  const sender = manifest.users[0] as DevnetFile['users'][number];
  const recipient = manifest.users[1] as DevnetFile['users'][number];

  await test.step('connect to the devnet and sync a verified head', async () => {
    await page.goto('/#light');
    await page.getByLabel('Peer addresses').fill(manifest.nodes.map((node) => node.ws).join('\n'));
    await page.getByLabel('Genesis').fill(genesisText);
    await expect(page.getByLabel('Allow loopback peers')).toBeChecked();
    await page.getByRole('button', { name: 'Connect' }).click();
    await expect(page.getByRole('region', { name: 'Verified head' })).toContainText(/Sequence\s*[1-9]/, { timeout: 90_000 });
    await expect(page.getByText('Synced from the trust root')).toBeVisible();
    await snap(page, testInfo, 'synced');
  });

  await test.step('the lying peer is caught, its evidence downloadable, and the honest head keeps advancing', async () => {
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('forged certificate', { timeout: 60_000 });
    await expect(alert).toContainText(liar.peerId.slice(0, 12));
    await expect(page.getByRole('listitem').filter({ hasText: liar.ws })).toContainText('banned');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download evidence' }).click()]);
    const evidence = JSON.parse(readFileSync(await download.path(), 'utf8')) as Record<string, unknown>;
    expect(evidence['format']).toBe('kaldrix-light-forged-certificate/v1');
    expect(JSON.stringify(evidence)).toContain(liar.peerId);
    const before = await verifiedSequence(page);
    await expect.poll(() => verifiedSequence(page), { timeout: 60_000 }).toBeGreaterThan(before);
    // The verified head is the honest chain's: an honest node certified that very checkpoint.
    const sequence = await verifiedSequence(page);
    const honest = await apiJson(`${(manifest.nodes[0] as DevnetNode).apiUrl}/v1/checkpoints/${sequence}`);
    const honestText = JSON.stringify(honest);
    const headText = (await page.getByRole('region', { name: 'Verified head' }).textContent()) ?? '';
    const shownHash = /[0-9a-f]{8,}/.exec(headText.replace(/[…\s]/g, ' '))?.[0];
    expect(shownHash, 'the head shows its checkpoint hash').toBeDefined();
    expect(honestText).toContain(shownHash as string);
    await snap(page, testInfo, 'lying peer caught');
  });

  let balanceBefore = 0n;
  await test.step('import a funded devnet key; the wallet shows its verified balance', async () => {
    await page.goto('/#wallet');
    await page.getByLabel('Key file (JSON)').fill(readFileSync(sender.keyPath, 'utf8'));
    await page.getByLabel('Passphrase').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Import key' }).click();
    await expect(page.getByText(sender.address)).toBeVisible({ timeout: 60_000 });
    await expect(page.getByText(/Verified balance\s*[0-9]/)).toBeVisible({ timeout: 60_000 });
    balanceBefore = numberAfter('Verified balance', await page.getByText(/Verified balance\s*[0-9]/).textContent());
    const account = await apiJson(`${(manifest.nodes[1] as DevnetNode).apiUrl}/v1/accounts/${sender.address}`);
    expect(JSON.stringify(account)).toContain(String(balanceBefore));
    await snap(page, testInfo, 'wallet');
  });

  await test.step('send a transfer and watch it go from submitted to finalized', async () => {
    const amount = 1_000n;
    await page.getByLabel('Peer API URL').fill((manifest.nodes[0] as DevnetNode).apiUrl);
    await page.getByLabel('Recipient address').fill(recipient.address);
    await page.getByLabel('Amount').fill(String(amount));
    await page.getByRole('button', { name: 'Send transfer' }).click();
    const transfer = page.getByRole('listitem').filter({ hasText: recipient.address.slice(0, 12) });
    await expect(transfer).toContainText(/submitted|finalized/);
    await expect(transfer).toContainText('finalized', { timeout: 120_000 });
    await expect.poll(async () => numberAfter('Verified balance', await page.getByText(/Verified balance\s*[0-9]/).textContent()), { timeout: 60_000 }).toBeLessThanOrEqual(balanceBefore - amount);
    await snap(page, testInfo, 'transfer finalized');

    await page.goto('/#explorer');
    await page.getByLabel('Account address').fill(recipient.address);
    await page.getByRole('button', { name: 'Look up' }).click();
    await expect(page.getByText('Verified', { exact: true }).first()).toBeVisible({ timeout: 60_000 });
    const shown = numberAfter('Balance', await page.getByText(/Balance\s*[0-9]/).first().textContent());
    const account = await apiJson(`${(manifest.nodes[2] as DevnetNode).apiUrl}/v1/accounts/${recipient.address}`);
    expect(JSON.stringify(account)).toContain(String(shown));
    await snap(page, testInfo, 'recipient verified');
  });

  await test.step('reload: the light client resumes from this browser\'s storage', async () => {
    await page.goto('/#light');
    await page.reload();
    await expect(page.getByText(/Resumed from this browser's storage in [0-9]+ ms/)).toBeVisible({ timeout: 60_000 });
    await expect(page.getByRole('region', { name: 'Verified head' })).toContainText(/Sequence\s*[1-9]/, { timeout: 60_000 });
    await snap(page, testInfo, 'resumed');
  });
});

/**
 * Static checks of the peer image's Dockerfile and of the proposed .dockerignore (no docker
 * engine is needed: the text is parsed into instructions).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

type Instruction = { readonly keyword: string; readonly args: string };

/** Joins continuation lines, drops comments, splits each instruction into keyword and arguments. */
function parseDockerfile(text: string): Instruction[] {
  const logical = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  return logical.map((line) => {
    const match = /^(\S+)\s*(.*)$/.exec(line);
    if (match === null) throw new Error(`unparsable line: ${line}`);
    return { keyword: (match[1] ?? '').toUpperCase(), args: match[2] ?? '' };
  });
}

const instructions = parseDockerfile(readFileSync(join(here, 'Dockerfile'), 'utf8'));
const all = (keyword: string) => instructions.filter((i) => i.keyword === keyword);
const runtime = instructions.slice(instructions.findLastIndex((i) => i.keyword === 'FROM'));

describe('infra/docker/Dockerfile', () => {
  it('is multi-stage on node:20-bookworm-slim, installing production dependencies only', () => {
    const froms = all('FROM');
    expect(froms.length).toBe(2);
    for (const f of froms) expect(f.args).toMatch(/^node:20-bookworm-slim AS \w+$/);
    expect(all('RUN').some((r) => r.args.includes('npm ci --omit=dev'))).toBe(true);
    expect(runtime.filter((i) => i.keyword === 'COPY').every((c) => c.args.includes('--from=build'))).toBe(true);
  });

  it('runs as the non-root uid 10001 in /app', () => {
    const users = runtime.filter((i) => i.keyword === 'USER');
    expect(users.at(-1)?.args).toBe('10001:10001');
    expect(runtime.find((i) => i.keyword === 'WORKDIR')?.args).toBe('/app');
    // The application files belong to root: the peer cannot rewrite its own code.
    expect(runtime.filter((i) => i.keyword === 'COPY').every((c) => c.args.includes('--chown=root:root'))).toBe(true);
  });

  it('health-checks /healthz with node (the slim image has no curl)', () => {
    const [health] = all('HEALTHCHECK');
    expect(health?.args).toMatch(/CMD \["node", "-e", ".*http:\/\/127\.0\.0\.1:8080\/healthz/);
    expect(health?.args).not.toMatch(/curl|wget/);
  });

  it('starts `kaldrix start` with the p2p and WebSocket listeners and /data, stops on SIGTERM', () => {
    expect(all('ENTRYPOINT')[0]?.args).toBe('["node", "bin/kaldrix.mjs", "start"]');
    const cmd = JSON.parse(all('CMD').at(-1)?.args ?? '[]') as string[];
    expect(cmd).toEqual(['--listen', '/ip4/0.0.0.0/tcp/7000', '--listen', '/ip4/0.0.0.0/tcp/7001/ws', '--data', '/data', '--config', '/etc/kaldrix/kaldrix.toml']);
    expect(all('EXPOSE')[0]?.args.split(/\s+/)).toEqual(['7000', '7001', '8080']);
    expect(all('STOPSIGNAL')[0]?.args).toBe('SIGTERM');
    expect(all('VOLUME')[0]?.args).toContain('/data');
  });

  it('bakes in no secrets: no key ARGs or ENVs, no key files copied', () => {
    for (const i of [...all('ARG'), ...all('ENV')]) expect(i.args).not.toMatch(/KEY|SECRET|TOKEN|PASSWORD|PASSPHRASE/i);
    for (const c of all('COPY')) expect(c.args).not.toMatch(/\.key|\.pem|secret/i);
  });
});

describe('infra/docker/dockerignore.txt (the proposed root .dockerignore)', () => {
  const rules = readFileSync(join(here, 'dockerignore.txt'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));

  it('is an allow-list: excludes everything, then admits exactly what the Dockerfile copies', () => {
    expect(rules[0]).toBe('*');
    const admitted = rules.filter((r) => r.startsWith('!')).map((r) => r.slice(1).replace(/\/$/, '')).sort();
    const copied = all('COPY').filter((c) => !c.args.includes('--from=')).flatMap((c) => c.args.split(/\s+/).slice(0, -1)).sort();
    expect(admitted).toEqual(copied);
  });

  it('keeps key material, env files, node_modules and tests out even inside admitted folders', () => {
    for (const pattern of ['**/*.key', '**/*.key.json', '**/.env', '**/*.pem', '**/node_modules', '**/*.test.ts']) expect(rules).toContain(pattern);
    // A later "!" rule would re-admit what these exclude: none may follow them.
    const lastAllow = rules.findLastIndex((r) => r.startsWith('!'));
    expect(rules.indexOf('**/*.key')).toBeGreaterThan(lastAllow);
  });
});

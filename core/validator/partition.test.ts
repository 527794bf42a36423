// A partition that cuts every quorum stalls the network; when it heals, the stalled round's
// vertices are sent again (nobody else would re-send them) and commits resume. Without the
// resend, every validator would wait forever for a round it can never complete.
import { describe, expect, it } from 'vitest';
import { createNetwork, makeChain } from './test/harness.ts';

describe('partition and heal', () => {
  it('2 | 2 stops progress; after healing, resent vertices complete the stuck round and commits resume', async () => {
    const chain = makeChain(4);
    let cut = false;
    const side = (id: string): number => (id === 'v0' || id === 'v1' ? 0 : 1);
    const net = await createNetwork({ chain, trace: false, link: (from, to) => !cut || side(from) === side(to) });
    await net.run(500);
    const before = net.node('v0').validator.status().committedLeaders;
    expect(before).toBeGreaterThan(3);
    cut = true;
    await net.run(2500);
    // Messages in flight when the cut began may finish a round or two; then nothing moves.
    const during = net.nodes.map((n) => n.validator.status().committedLeaders);
    await net.run(4500);
    expect(net.nodes.map((n) => n.validator.status().committedLeaders)).toEqual(during);
    cut = false;
    await net.run(8000);
    for (const node of net.nodes) {
      expect(node.validator.status().committedLeaders, node.spec.id).toBeGreaterThan(Math.max(...during) + 3);
      expect(node.effectTypes).toContain('broadcast-resend');
    }
  }, 120_000);
});

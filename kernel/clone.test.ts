import { cloneForDelivery, markKernelHandle, markProgramProxy, Uncopyable } from './clone';

describe('cloneForDelivery', () => {
  it('copies flat arrays and objects, leaving the originals alone', () => {
    const pair = [3, 4];
    const message = { data: 'x', from: 2 };
    const copiedPair = cloneForDelivery(pair);
    const copiedMessage = cloneForDelivery(message);
    expect(copiedPair).toEqual([3, 4]);
    expect(copiedPair).not.toBe(pair);
    expect(copiedMessage).toEqual({ data: 'x', from: 2 });
    expect(copiedMessage).not.toBe(message);
  });

  it('keeps a cycle a cycle, at the top level and below it', () => {
    const list: unknown[] = [1];
    list.push(list);
    const copiedList = cloneForDelivery(list);
    expect(copiedList).not.toBe(list);
    expect(copiedList[1]).toBe(copiedList);

    const node: Record<string, unknown> = { name: 'a', child: { name: 'b' } };
    (node.child as Record<string, unknown>).parent = node;
    const copiedNode = cloneForDelivery(node);
    const copiedChild = copiedNode.child as Record<string, unknown>;
    expect(copiedChild.parent).toBe(copiedNode);
    expect(copiedChild).not.toBe(node.child);
  });

  it('keeps shared parts shared, however deep the first sharing appears', () => {
    const shared = { n: 1 };
    const value = [0, 'text', { left: shared, right: shared }, shared];
    const copied = cloneForDelivery(value);
    const inner = copied[2] as { left: object; right: object };
    expect(inner.left).toBe(inner.right);
    expect(copied[3]).toBe(inner.left);
    expect(inner.left).not.toBe(shared);
  });

  it('copies maps and sets, cycles through them included', () => {
    const map = new Map<string, unknown>([['k', [1, 2]]]);
    map.set('self', map);
    const copiedMap = cloneForDelivery(map);
    expect(copiedMap.get('k')).toEqual([1, 2]);
    expect(copiedMap.get('self')).toBe(copiedMap);
    const set = new Set([1, 'two']);
    expect([...cloneForDelivery(set)]).toEqual([1, 'two']);
  });

  it('shares kernel handles and refuses proxies, accessors and endless nesting', () => {
    const handle = markKernelHandle({ id: 7 });
    expect(cloneForDelivery([handle])[0]).toBe(handle);
    expect(() => cloneForDelivery([markProgramProxy(new Proxy({}, {}))])).toThrow(Uncopyable);
    expect(() => cloneForDelivery({ get secret() { return 1; } })).toThrow(/getter or setter/);
    let deep: unknown[] = [];
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(() => cloneForDelivery(deep)).toThrow(/levels deep/);
  });
});

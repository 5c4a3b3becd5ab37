/** Linked services: groups are connected components; dependencies are transitive. */
import { compileLinks } from '../../src/correlate/index.js';

describe('compileLinks', () => {
  const links = compileLinks({ checkout: ['payments', 'inventory'], payments: ['ledger'], search: [] });

  test('linked services share one group key naming every member', () => {
    expect(links.groupOf('checkout')).toBe('checkout+inventory+ledger+payments');
    expect(links.groupOf('ledger')).toBe('checkout+inventory+ledger+payments');
    expect(links.membersOf('checkout+inventory+ledger+payments')).toEqual([
      'checkout',
      'inventory',
      'ledger',
      'payments',
    ]);
  });

  test('an unlinked or unknown service is its own group', () => {
    expect(links.groupOf('search')).toBe('search');
    expect(links.groupOf('unknown')).toBe('unknown');
    expect(links.membersOf('unknown')).toEqual(['unknown']);
  });

  test('dependencies are followed transitively and cycles end', () => {
    expect(links.dependsOn('checkout')).toEqual(['inventory', 'ledger', 'payments']);
    expect(links.dependsOn('ledger')).toEqual([]);
    const cyclic = compileLinks({ a: ['b'], b: ['a'] });
    expect(cyclic.dependsOn('a')).toEqual(['b']);
  });
});

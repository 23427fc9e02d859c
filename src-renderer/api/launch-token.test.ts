import assert from 'node:assert/strict';
import { it } from 'node:test';
import { forgetLaunchToken, takeLaunchToken, type TokenPlace } from './launch-token';

function place(hash: string, stored: Record<string, string> = {}) {
  const map = new Map(Object.entries(stored));
  let dropped = 0;
  const p: TokenPlace = {
    hash,
    storage: { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => { map.set(k, v); }, removeItem: (k) => { map.delete(k); } },
    dropHash: () => { dropped++; },
  };
  return { p, map, dropped: () => dropped };
}

it('takes the token from the fragment, remembers it for the tab and clears the address bar', () => {
  const { p, map, dropped } = place('#token=abc-DEF_123');
  assert.equal(takeLaunchToken(p), 'abc-DEF_123');
  assert.equal(map.get('winnow.token'), 'abc-DEF_123');
  assert.equal(dropped(), 1);
});

it('uses the remembered token on a reload, and a new fragment replaces it', () => {
  assert.equal(takeLaunchToken(place('', { 'winnow.token': 'old' }).p), 'old');
  const { p, map } = place('#token=new', { 'winnow.token': 'old' });
  assert.equal(takeLaunchToken(p), 'new');
  assert.equal(map.get('winnow.token'), 'new');
});

it('has no token without a fragment or memory, and malformed fragments do not throw', () => {
  assert.equal(takeLaunchToken(place('').p), null);
  assert.equal(takeLaunchToken(place('#%E0%A4%A').p), null);
  assert.equal(takeLaunchToken(place('#token=').p), null);
  const { p, map } = place('', { 'winnow.token': 'x' });
  forgetLaunchToken(p);
  assert.equal(map.size, 0);
});

import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { ImagePayload } from '../../src-shared/model/sample';
import type { Api } from './client';
import { ThumbnailService } from './thumbnails';

const png = (id: number): ImagePayload => ({ format: 'png', width: 1, height: 1, data: Uint8Array.of(id & 255) });

/** An API whose samples.thumbnails answers when told to, recording each request. */
function fakeApi(missing = new Set<number>()) {
  const requests: number[][] = [];
  const answers: Array<() => void> = [];
  let fail = false;
  const api = {
    call: (_method: string, { ids }: { ids: number[] }) => {
      requests.push(ids);
      return new Promise((resolve, reject) => answers.push(() => (fail ? reject(new Error('gone')) : resolve({ items: ids.map((id) => (missing.has(id) ? null : png(id))) }))));
    },
  } as unknown as Api;
  return { api, requests, answerAll: () => answers.splice(0).forEach((a) => a()), failNext: () => { fail = true; } };
}

it('fetches each id once, even while a request for it is on the way', async () => {
  const { api, requests, answerAll } = fakeApi(new Set([3]));
  const s = new ThumbnailService();
  s.connect(api);
  let notified = 0;
  s.subscribe(() => notified++);
  const a = s.request([1, 2, 3]);
  const b = s.request([2, 3, 4]);
  assert.deepEqual(requests, [[1, 2, 3], [4]]);
  answerAll();
  await Promise.all([a, b]);
  assert.match(s.get(1)!, /^blob:/);
  assert.equal(s.get(3), undefined, 'no thumbnail, no URL');
  assert.equal(notified, 2);
  await s.request([1, 2]);
  assert.equal(requests.length, 2, 'already here: no request');
});

it('drops answers that arrive after clear() (another project) and never rejects', async () => {
  const { api, requests, answerAll, failNext } = fakeApi();
  const s = new ThumbnailService();
  s.connect(api);
  const late = s.request([7]);
  s.clear();
  answerAll();
  await late;
  assert.equal(s.get(7), undefined);
  const again = s.request([7]);
  assert.equal(requests.length, 2, 'asked again after clear');
  failNext();
  answerAll();
  await again;
  assert.equal(s.get(7), undefined);
  const one = s.url(7);
  answerAll();
  assert.equal(await one, null, 'a failed fetch settles as no thumbnail');
});

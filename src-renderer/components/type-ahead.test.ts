import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { SampleEvidence } from '../../src-shared/model/review';
import { rankMatches } from './type-ahead';

const names = ['square', 'circle', 'stripes', 'star'];
const ev = (suggested: string | null, labels: string[]) => ({ suggestedLabel: suggested, neighbours: labels.map((label, id) => ({ id, label, similarity: 1 })) }) as unknown as SampleEvidence;

it('puts the suggestion first among the labels a prefix matches, then the neighbours\' votes, then the list order', () => {
  assert.deepEqual(rankMatches(names, 's', undefined), ['square', 'stripes', 'star']);
  assert.deepEqual(rankMatches(names, 's', ev('stripes', ['square', 'square', 'star'])), ['stripes', 'square', 'star']);
  assert.deepEqual(rankMatches(names, 'S', ev(null, ['star', 'star', 'square'])), ['star', 'square', 'stripes']);
  assert.deepEqual(rankMatches(names, 'st', ev('circle', [])), ['stripes', 'star']);
  assert.deepEqual(rankMatches(names, '', ev('circle', [])), []);
  assert.deepEqual(rankMatches(names, 'q', undefined), []);
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { reviewReason, type ReasonInput } from './reason';

const base: ReasonInput = { state: 'scored', label: '3', noise: 0.9, suggested: '9', modelLabel: null, neighbourLabels: [] };
const votes = (spec: Record<string, number>) => Object.entries(spec).flatMap(([l, c]) => Array<string>(c).fill(l));

describe('the review reason in words', () => {
  it('leads with the neighbour vote when the neighbours disagree with the label', () => {
    assert.equal(reviewReason({ ...base, neighbourLabels: votes({ 9: 8, 3: 1, 5: 1 }) }), '8 of its 10 nearest neighbours are labelled 9, only 1 is labelled 3 like it.');
    assert.equal(reviewReason({ ...base, neighbourLabels: votes({ 9: 10 }) }), '10 of its 10 nearest neighbours are labelled 9, none is labelled 3 like it.');
  });

  it('names the linear probe when the model, not the neighbours, drives the score', () => {
    assert.equal(reviewReason({ ...base, neighbourLabels: votes({ 3: 7, 9: 3 }) }),
      '7 of its 10 nearest neighbours are labelled 3 like it, but the linear probe over the whole embedding says 9, which drives the score.');
    assert.equal(reviewReason({ ...base, neighbourLabels: votes({ 5: 6, 3: 4 }) }),
      '6 of its 10 nearest neighbours are labelled 5, only 4 are labelled 3 like it; adding the linear probe over the whole embedding, the suggestion is 9.');
    assert.equal(reviewReason({ ...base, noise: 0.1, suggested: '8', neighbourLabels: votes({ 3: 9, 8: 1 }) }), '9 of its 10 nearest neighbours are labelled 3 like it.');
  });

  it('names the imported model where there are predictions', () => {
    assert.equal(reviewReason({ ...base, modelLabel: '9', neighbourLabels: votes({ 3: 6, 9: 4 }) }),
      '6 of its 10 nearest neighbours are labelled 3 like it, but the imported model says 9, which drives the score.');
    assert.equal(reviewReason({ ...base, modelLabel: '9', neighbourLabels: votes({ 9: 8, 3: 2 }) }),
      '8 of its 10 nearest neighbours are labelled 9, only 2 are labelled 3 like it; the imported model predicts 9 too.');
  });

  it('says what to do without a map or a score, and copes with unlabelled samples and no neighbours', () => {
    assert.match(reviewReason({ ...base, state: 'no-map' }), /compute the map first/);
    assert.match(reviewReason({ ...base, state: 'not-scored' }), /compute the map again/);
    assert.match(reviewReason({ ...base, state: 'scoring' }), /computed at the end of its map job/);
    assert.equal(reviewReason({ ...base, label: null, neighbourLabels: votes({ 9: 5 }) }), 'It has no label; 5 of its 5 nearest neighbours are labelled 9.');
    assert.equal(reviewReason({ ...base, neighbourLabels: [] }), 'It has no neighbours in the map; the linear probe over the whole embedding suggests 9.');
  });
});

import { validateObjects } from '@aks-gitops/validation';
import { edit } from './edit';
import { syntheticCluster } from './fixtures';

// Speed is measured by `npm run bench` (BENCHMARKS.md), never asserted in tests: a timed test
// fails on a busy CI machine and proves nothing. These check correctness at fleet size.
test('3,500 compliant objects validate without a problem', () => {
  expect(validateObjects(syntheticCluster(3500))).toEqual([]);
});

test('problems in a large batch are all found', () => {
  const objects = syntheticCluster(700).map((obj, i) => (i % 100 === 0 ? edit(obj, 'metadata.namspace', 'x') : obj));
  expect(validateObjects(objects)).toHaveLength(7);
});

import { failedChecks, packSlugs, PROOF_TIMEOUT_MS, SEEDS } from './support/exercise-pack';

// The pack is split across two test files so that jest's workers prove it in parallel.
const slugs = packSlugs({ index: 0, count: 2 });

describe('the built-in exercise pack (first half)', () => {
  it('has exercises, and the two halves together prove each of them once', () => {
    expect(packSlugs().length).toBeGreaterThan(0);
    expect([...slugs, ...packSlugs({ index: 1, count: 2 })].sort()).toEqual(packSlugs());
  });

  it.each(slugs)(`%s proves its own tests: requirements each tested, the reference passes, and every known-wrong solution fails as declared, with its feedback, under ${SEEDS} base seeds`, async (slug) => {
    expect(await failedChecks(slug)).toEqual([]);
  }, PROOF_TIMEOUT_MS);
});

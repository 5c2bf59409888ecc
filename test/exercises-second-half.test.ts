import { failedChecks, packSlugs, PROOF_TIMEOUT_MS, SEEDS } from './support/exercise-pack';

const slugs = packSlugs({ index: 1, count: 2 });

describe('the built-in exercise pack (second half)', () => {
  it.each(slugs)(`%s proves its own tests: requirements each tested, the reference passes, and every known-wrong solution fails as declared, with its feedback, under ${SEEDS} base seeds`, async (slug) => {
    expect(await failedChecks(slug)).toEqual([]);
  }, PROOF_TIMEOUT_MS);
});

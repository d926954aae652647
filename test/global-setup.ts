// Builds the nqp bundle once before the tests, so CLI tests run the same program users run.
export default async function setup(): Promise<void> {
  // @ts-expect-error: a plain .mjs build script without type declarations
  const { bundle } = await import("../scripts/bundle.mjs");
  await bundle();
}

/** A bench's entry point: exit 0 when it finished, 1 with the error printed when it threw (bench.mjs counts them). */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}

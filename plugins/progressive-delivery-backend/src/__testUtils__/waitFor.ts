/**
 * Polls `read` until `accept` holds for its value, or fails after `timeoutMs` with the last
 * value seen. Tests wait on conditions this way instead of sleeping.
 */
export async function waitFor<T>(
  read: () => T | Promise<T>,
  accept: (value: T) => boolean,
  options: {
    timeoutMs?: number;
    intervalMs?: number;
    what?: string;
    /** What to show of the last value when timing out (default: its JSON). */
    describe?: (value: T) => string | undefined;
  } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (accept(last)) {
      return last;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${options.what ?? 'condition'}; last value: ${(
          options.describe ?? JSON.stringify
        )(last as T)?.slice(0, 2000)}`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, options.intervalMs ?? 20));
  }
}

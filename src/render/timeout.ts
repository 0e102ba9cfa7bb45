const EXPIRED: unique symbol = Symbol('expired');

/** The result of `work`, or of `onTimeout()` once `ms` have passed, whichever comes first. */
export async function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => T | Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<typeof EXPIRED>((resolve) => {
    timer = setTimeout(() => resolve(EXPIRED), ms);
  });
  try {
    const first = await Promise.race([work, expired]);
    return first === EXPIRED ? await onTimeout() : first;
  } finally {
    clearTimeout(timer);
  }
}

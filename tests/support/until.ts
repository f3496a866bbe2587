export interface UntilOptions {
  /** What is waited for, for the error on time-out. */
  what?: string;
  /** Default 8 s. */
  timeoutMs?: number;
  /** Time between two probes; default 25 ms. */
  everyMs?: number;
}

/**
 * Probes until the probe gives something (anything but undefined, null or ''), and returns it.
 * The probe runs once more after the time is up; then it throws "timed out after … s waiting for …".
 *
 *   const post = await until(() => connector.posted.find((p) => p.method === 'PUT'));
 *   await until(async () => (await repos.outbox.list(roundId)).length >= 11 || undefined, { what: 'the outbox' });
 */
export async function until<T>(probe: () => T | null | undefined | '' | Promise<T | null | undefined | ''>, options: UntilOptions = {}): Promise<T> {
  const { what = 'a condition', timeoutMs = 8000, everyMs = 25 } = options;
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== null && v !== '') return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

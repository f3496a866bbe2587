import pino, { Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. What is logged: verbs, codes, round and application ids, durations —
 * never names, e-mail addresses, typed text or user ids (those are personal data).
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, base: { service: 'leerbudget' }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}

import { resolve } from 'node:path';
import { environment, loadConfig } from './config';
import { startTelemetry, Telemetry } from './telemetry';

/**
 * The first import of `src/index.ts`: when that file is the process's entry (`node
 * dist/src/index.js`), OpenTelemetry starts here, before node:http, restify and the Azure SDK are
 * loaded, so their instrumentation applies. A configuration error is left to `main()` to report;
 * imported by anything else (tests), it starts nothing.
 */
function atStart(): Telemetry | undefined {
  const entry = require.main?.filename;
  if (!entry || resolve(entry).replace(/\.[cm]?[jt]s$/, '') !== resolve(__dirname, 'index')) return undefined;
  try {
    return startTelemetry(loadConfig(environment()));
  } catch {
    return undefined;
  }
}

export const telemetry = atStart();

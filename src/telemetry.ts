import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { Config } from './config';

/**
 * OpenTelemetry traces and logs to Application Insights (`@azure/monitor-opentelemetry`), only when
 * APPLICATIONINSIGHTS_CONNECTION_STRING is set; without it the SDK is not even loaded.
 *
 * What leaves the process, and nothing else:
 * - spans of incoming requests: method, route and path (never the query: download links carry
 *   their signature there), status, duration;
 * - spans of outgoing calls (Table Storage, the Bot Connector): method, host, port, status,
 *   duration — no URL or path, since row keys and conversation ids name people;
 * - exceptions: their type and stack frames, not their message;
 * - the pino log lines (which hold no personal data, see src/README.md), as log records.
 * Every other span attribute is dropped ({@link scrubSpan}): user agents, client addresses,
 * headers, anything a library adds later. Live metrics are off (they stream request URLs).
 * Every trace is sent (no sampling).
 */

/** Span attributes that may leave the process as they are. */
const KEPT = new Set([
  'http.method',
  'http.request.method',
  'http.status_code',
  'http.response.status_code',
  'http.route',
  'http.scheme',
  'url.scheme',
  'http.flavor',
  'network.protocol.version',
  'server.address',
  'server.port',
  'net.host.name',
  'net.host.port',
  'net.peer.name',
  'net.peer.port',
  'http.host',
  'error.type',
  'az.namespace',
  'az.client_request_id',
  'az.service_request_id',
  'exception.type',
  'exception.escaped',
]);
/** Kept on incoming requests only, without their query string. */
const SERVER_PATHS = new Set(['http.target', 'url.path', 'http.url', 'url.full']);
const SPAN_KIND_SERVER = 1;

type Attributes = Record<string, unknown>;
interface ScrubbableSpan {
  kind: number;
  attributes: Attributes;
  events?: { attributes?: Attributes }[];
  status?: { code: number; message?: string };
}

const withoutQuery = (v: unknown) => (typeof v === 'string' ? v.replace(/[?#].*$/s, '') : v);
/** A stack trace without its first line(s), which repeat the message. */
const framesOnly = (v: unknown) => (typeof v === 'string' ? v.slice(Math.max(0, v.search(/^\s+at /m))) : v);

function scrubAttributes(attrs: Attributes | undefined, server: boolean): void {
  if (!attrs) return;
  for (const key of Object.keys(attrs)) {
    if (KEPT.has(key)) continue;
    if (server && SERVER_PATHS.has(key)) attrs[key] = withoutQuery(attrs[key]);
    else if (key === 'exception.stacktrace') attrs[key] = framesOnly(attrs[key]);
    else delete attrs[key];
  }
}

/** Drops (in place) every span attribute that could name a person; see the module comment. */
export function scrubSpan(span: ScrubbableSpan): void {
  const server = span.kind === SPAN_KIND_SERVER;
  scrubAttributes(span.attributes, server);
  for (const event of span.events ?? []) scrubAttributes(event.attributes, false);
  if (span.status?.message) span.status.message = '';
}

/**
 * A span processor that runs before the exporter's (the distro puts extra processors between its
 * own and its batch exporter): it scrubs at the start, so processors after it never see what is
 * dropped, and again at the end for attributes set later.
 */
export const personalDataFilter = {
  onStart: (span: unknown) => scrubSpan(span as ScrubbableSpan),
  onEnd: (span: unknown) => scrubSpan(span as ScrubbableSpan),
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

const SEVERITY: Record<number, [number, string]> = {
  10: [1, 'TRACE'],
  20: [5, 'DEBUG'],
  30: [9, 'INFO'],
  40: [13, 'WARN'],
  50: [17, 'ERROR'],
  60: [21, 'FATAL'],
};

interface OtelLogger {
  emit(record: { timestamp?: number; severityNumber?: number; severityText?: string; body?: string; attributes?: Attributes }): void;
}

/** A pino destination that emits each JSON line as an OpenTelemetry log record. */
function logRecordStream(logger: OtelLogger): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      try {
        const { level, time, msg, service: _service, ...rest } = JSON.parse(chunk.toString('utf8')) as Record<string, unknown>;
        const [severityNumber, severityText] = SEVERITY[Number(level)] ?? [9, 'INFO'];
        const attributes: Attributes = {};
        for (const [k, v] of Object.entries(rest)) attributes[k] = v !== null && typeof v === 'object' ? JSON.stringify(v) : v;
        logger.emit({ timestamp: typeof time === 'string' ? Date.parse(time) : Date.now(), severityNumber, severityText, body: String(msg ?? ''), attributes });
      } catch {
        // A line that is not JSON is not ours to forward.
      }
      done();
    },
  });
}

export interface Telemetry {
  enabled: boolean;
  /** Where pino writes: stdout, and with telemetry also the OpenTelemetry log bridge. */
  logDestination(level: string): pino.DestinationStream | undefined;
  /** Sends what is buffered and stops. */
  shutdown(): Promise<void>;
}

const OFF: Telemetry = { enabled: false, logDestination: () => undefined, shutdown: async () => undefined };

/**
 * Starts OpenTelemetry when the configuration has an Application Insights connection string. Call
 * it before the modules it instruments (node:http, restify, the Azure SDK) are loaded: see
 * `src/start-telemetry.ts`, the first import of `src/index.ts`.
 */
export function startTelemetry(config: Config): Telemetry {
  const connectionString = config.telemetry.connectionString;
  if (!connectionString) return OFF;
  // Loaded only here: without a connection string nothing of OpenTelemetry is in the process.
  const distro = require('@azure/monitor-opentelemetry') as typeof import('@azure/monitor-opentelemetry');
  // The logs API of the distro's own copy (versions of @opentelemetry/api-logs differ in node_modules).
  const apiLogs = createRequire(require.resolve('@azure/monitor-opentelemetry'))('@opentelemetry/api-logs') as {
    logs: { getLogger(name: string): OtelLogger };
  };
  distro.useAzureMonitor({
    azureMonitorExporterOptions: { connectionString },
    enableLiveMetrics: false,
    // Every trace: the bot's traffic is small (a few hundred people; bursts of tens of turns a
    // second), and a complete trace is what answers "my score was not saved".
    samplingRatio: 1,
    tracesPerSecond: 0,
    instrumentationOptions: {
      http: { enabled: true },
      azureSdk: { enabled: true },
      mongoDb: { enabled: false },
      mySql: { enabled: false },
      postgreSql: { enabled: false },
      redis: { enabled: false },
      redis4: { enabled: false },
      bunyan: { enabled: false },
      winston: { enabled: false },
      console: { enabled: false },
    },
    spanProcessors: [personalDataFilter as never],
  });
  const logger = apiLogs.logs.getLogger('leerbudget');
  return {
    enabled: true,
    logDestination: (level) =>
      level === 'silent'
        ? undefined
        : pino.multistream([
            { level: level as pino.Level, stream: process.stdout },
            { level: level as pino.Level, stream: logRecordStream(logger) },
          ]),
    shutdown: () => distro.shutdownAzureMonitor(),
  };
}

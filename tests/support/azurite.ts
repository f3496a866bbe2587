import { once } from 'node:events';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Azurite's fixed development account; it is public and documented, not a secret. */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export function azuriteConnectionString(tableUrl: string, blobUrl?: string): string {
  // UseDevelopmentStorage=true would pin ports 10000 and 10002, so spell the endpoints out.
  return (
    `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};` +
    `TableEndpoint=${tableUrl.replace(/\/$/, '')}/${AZURITE_ACCOUNT};` +
    (blobUrl ? `BlobEndpoint=${blobUrl.replace(/\/$/, '')}/${AZURITE_ACCOUNT};` : '')
  );
}

export interface RunningAzurite {
  /** Connection string for @azure/data-tables (use `allowInsecureConnection: true`). */
  connectionString: string;
  /** Base URL of the Table service, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Base URL of the Blob service (attachments). */
  blobUrl: string;
  stop(): Promise<void>;
}

// The package ships no typings for its internals; this is the slice we use.
interface AzuriteTableServer {
  start(): Promise<void>;
  close(): Promise<void>;
  clean(): Promise<void>;
  getHttpServerAddress(): string;
  httpServer: Server;
}
type TableServerCtor = new (config: unknown) => AzuriteTableServer;
type TableConfigurationCtor = new (...args: unknown[]) => unknown;

interface AzuriteModules {
  TableServer: TableServerCtor;
  TableConfiguration: TableConfigurationCtor;
  BlobServer: TableServerCtor;
  BlobConfiguration: TableConfigurationCtor;
}

let modules: Promise<AzuriteModules> | undefined;
let instances = 0;

async function loadAzurite(): Promise<AzuriteModules> {
  // `require('azurite')` pulls in the VS Code extension entry point (needs `vscode`),
  // so load the Table server directly. Specifiers are variables so tsc does not try to
  // resolve typings that do not exist.
  const serverPath: string = 'azurite/dist/src/table/TableServer';
  const configPath: string = 'azurite/dist/src/table/TableConfiguration';
  const telemetryPath: string = 'azurite/dist/src/common/Telemetry';
  const blobServerPath: string = 'azurite/dist/src/blob/BlobServer';
  const blobConfigPath: string = 'azurite/dist/src/blob/BlobConfiguration';
  const [server, config, telemetry, blobServer, blobConfig] = await Promise.all([
    import(serverPath),
    import(configPath),
    import(telemetryPath),
    import(blobServerPath),
    import(blobConfigPath),
  ]);
  // Telemetry is only sent after an explicit init, which we never call; pin it off anyway
  // so a future Azurite default cannot make tests talk to the internet.
  const client = (telemetry.AzuriteTelemetryClient ?? telemetry.default?.AzuriteTelemetryClient) as { enableTelemetry: boolean } | undefined;
  if (client) client.enableTelemetry = false;
  return {
    TableServer: (server.default?.default ?? server.default) as TableServerCtor,
    TableConfiguration: (config.default?.default ?? config.default) as TableConfigurationCtor,
    BlobServer: (blobServer.default?.default ?? blobServer.default) as TableServerCtor,
    BlobConfiguration: (blobConfig.default?.default ?? blobConfig.default) as TableConfigurationCtor,
  };
}

/**
 * Starts Azurite's Table service inside this process: in memory, on an ephemeral port,
 * without access/debug logs. Each call gets its own empty account.
 */
export async function startAzurite(): Promise<RunningAzurite> {
  modules ??= loadAzurite();
  const { TableServer, TableConfiguration, BlobServer, BlobConfiguration } = await modules;

  // In memory Loki never writes this file, but it stats (and on clean, deletes) the path:
  // make it unique and outside the repo.
  const dbPath = join(tmpdir(), `leerbudget-azurite-${process.pid}-${++instances}.json`);
  const config = new TableConfiguration(
    '127.0.0.1', // host
    0, // port: ephemeral
    5, // keepAliveTimeout (s)
    dbPath, // metadataDBPath
    false, // enableDebugLog
    false, // enableAccessLog
    undefined, // accessLogWriteStream
    undefined, // debugLogFilePath
    false, // loose
    true, // skipApiVersionCheck: the SDK may be newer than this Azurite
    '', // cert
    '', // key
    '', // pwd
    undefined, // oauth
    false, // disableProductStyleUrl
    true, // isMemoryPersistence
  );
  const server = new TableServer(config);
  // The Blob service beside it (attachments), in memory too, with its own empty account.
  const blobConfig = new BlobConfiguration(
    '127.0.0.1', // host
    0, // port: ephemeral
    5, // keepAliveTimeout (s)
    `${dbPath}.blob.json`, // metadataDBPath
    `${dbPath}.extent.json`, // extentDBPath
    [], // persistencePathArray: nothing on disk
    false, // enableAccessLog
    undefined, // accessLogWriteStream
    false, // enableDebugLog
    undefined, // debugLogFilePath
    false, // loose
    true, // skipApiVersionCheck
    '', // cert
    '', // key
    '', // pwd
    undefined, // oauth
    false, // disableProductStyleUrl
    true, // isMemoryPersistence
  );
  const blob = new BlobServer(blobConfig);
  await Promise.all([server.start(), blob.start()]);
  const url = server.getHttpServerAddress();
  const blobUrl = blob.getHttpServerAddress();

  let stopped = false;
  const stopOne = async (s: AzuriteTableServer) => {
    const closed = s.httpServer.listening ? once(s.httpServer, 'close') : undefined;
    await s.close();
    await closed;
    await s.clean();
  };
  return {
    url,
    blobUrl,
    connectionString: azuriteConnectionString(url, blobUrl),
    async stop() {
      if (stopped) return;
      stopped = true;
      await Promise.all([stopOne(server), stopOne(blob)]);
    },
  };
}

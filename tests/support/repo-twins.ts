import type { Repos } from '../../src/ports';
import { memoryRepos } from '../../src/store/memory-repos';
import { tableRepos } from '../../src/store/table-repos';
import { ensureTables, tableClients } from '../../src/store/tables';
import { startAzurite, type RunningAzurite } from './azurite';

/**
 * The two implementations of the repository ports, as factories: a contract suite runs the same
 * tests against both (`describe.each(REPO_TWINS)`), so a rule kept by one and not the other shows.
 */
export interface RepoTwin {
  name: string;
  /** Once per suite (Azurite for the table twin). */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Empty storage: a fresh set of repositories that share nothing with earlier ones. */
  fresh(): Promise<Repos>;
}

function memoryTwin(): RepoTwin {
  return {
    name: 'in-memory',
    async start() {},
    async stop() {},
    async fresh() {
      return memoryRepos();
    },
  };
}

function tableTwin(): RepoTwin {
  let azurite: RunningAzurite | undefined;
  let n = 0;
  return {
    name: 'Table Storage (Azurite)',
    async start() {
      azurite = await startAzurite();
    },
    async stop() {
      await azurite?.stop();
    },
    async fresh() {
      if (!azurite) throw new Error('start() first');
      // Table names: letters and digits, starting with a letter.
      const clients = tableClients(azurite.connectionString, `Contract${++n}`);
      await ensureTables(clients);
      return tableRepos(clients);
    },
  };
}

export const REPO_TWINS: RepoTwin[] = [memoryTwin(), tableTwin()];

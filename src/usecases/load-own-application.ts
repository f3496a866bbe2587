import type { Application } from '../domain/application';
import type { Versioned } from '../domain/versioned';
import type { Deps } from './deps';

/**
 * Reads an application for the person acting. Someone else's application is reported as not
 * found: ids in card data are never proof of who may see or change what.
 */
export async function loadOwnApplication(deps: Deps, applicantId: string, roundId: string, applicationId: string): Promise<Versioned<Application> | undefined> {
  const app = await deps.repos.applications.get(roundId, applicationId);
  return app && app.value.applicantId === applicantId ? app : undefined;
}

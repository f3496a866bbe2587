import type { Application } from '../domain/application';
import type { Deps } from './deps';

/** A partner's own applications, newest first. */
export async function myApplications(deps: Deps, applicantId: string): Promise<Application[]> {
  const apps = await deps.repos.applications.listByApplicant(applicantId);
  return apps.map((a) => a.value).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}

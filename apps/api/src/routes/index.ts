/** The API as a table of route verbs: what the local server mounts, and what gets one Lambda each. */
import type { Route } from '../route.ts';
import { acornMetrics } from './acorn-metrics.ts';
import { adminMetrics } from './admin-metrics.ts';
import { callEndpoint } from './call-endpoint.ts';
import { cancelJob } from './cancel-job.ts';
import { createAcorn } from './create-acorn.ts';
import { createIdentity } from './create-identity.ts';
import { deleteAcorn } from './delete-acorn.ts';
import { forkAcorn } from './fork-acorn.ts';
import { getAcorn } from './get-acorn.ts';
import { getIdentity } from './get-identity.ts';
import { getJob } from './get-job.ts';
import { getRevision } from './get-revision.ts';
import { health } from './health.ts';
import { jobEvents } from './job-events.ts';
import { listAcorns } from './list-acorns.ts';
import { listInvocations } from './list-invocations.ts';
import { listJobResults } from './list-job-results.ts';
import { listJobs } from './list-jobs.ts';
import { listModules } from './list-modules.ts';
import { listRevisions } from './list-revisions.ts';
import { openApiRoute } from './openapi.ts';
import { runAcorn } from './run-acorn.ts';
import { runCode } from './run-code.ts';
import { startJob } from './start-job.ts';
import { updateAcorn } from './update-acorn.ts';

export const openApi = openApiRoute(() => routes);

export const routes: readonly Route[] = [
  health,
  openApi,
  createIdentity,
  getIdentity,
  listAcorns,
  createAcorn,
  getAcorn,
  updateAcorn,
  deleteAcorn,
  listRevisions,
  getRevision,
  forkAcorn,
  runAcorn,
  runCode,
  adminMetrics,
  listInvocations,
  acornMetrics,
  callEndpoint,
  listModules,
  startJob,
  listJobs,
  getJob,
  listJobResults,
  jobEvents,
  cancelJob,
];

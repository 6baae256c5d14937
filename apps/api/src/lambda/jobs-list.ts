import { listJobs } from '../routes/list-jobs.ts';
import { lambdaHandler } from './handler.ts';

export const handler = lambdaHandler(listJobs);

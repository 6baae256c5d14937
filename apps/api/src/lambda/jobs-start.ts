import { startJob } from '../routes/start-job.ts';
import { lambdaHandler } from './handler.ts';

export const handler = lambdaHandler(startJob);

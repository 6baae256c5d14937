import { cancelJob } from '../routes/cancel-job.ts';
import { lambdaHandler } from './handler.ts';

export const handler = lambdaHandler(cancelJob);

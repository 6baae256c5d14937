import { getJob } from '../routes/get-job.ts';
import { lambdaHandler } from './handler.ts';

export const handler = lambdaHandler(getJob);

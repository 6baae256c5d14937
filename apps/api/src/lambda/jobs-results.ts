import { listJobResults } from '../routes/list-job-results.ts';
import { lambdaHandler } from './handler.ts';

export const handler = lambdaHandler(listJobResults);

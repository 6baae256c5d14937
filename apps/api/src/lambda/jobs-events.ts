import { jobEvents } from '../routes/job-events.ts';
import { lambdaHandler } from './handler.ts';

export const handler = lambdaHandler(jobEvents);

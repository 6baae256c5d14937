import { adminMetrics } from '../routes/admin-metrics.ts';
import { lambdaHandler } from './handler.ts';

export const handler = lambdaHandler(adminMetrics);

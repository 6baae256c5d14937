import { acornMetrics } from '../routes/acorn-metrics.ts';
import { lambdaHandler } from './handler.ts';

export const handler = lambdaHandler(acornMetrics);

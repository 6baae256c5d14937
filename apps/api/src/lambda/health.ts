import { health } from '../routes/health.ts';
import { lambdaHandler } from './handler.ts';

export const handler = lambdaHandler(health);

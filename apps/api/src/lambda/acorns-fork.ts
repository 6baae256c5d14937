import { forkAcorn } from '../routes/fork-acorn.ts';
import { lambdaHandler } from './handler.ts';

export const handler = lambdaHandler(forkAcorn);

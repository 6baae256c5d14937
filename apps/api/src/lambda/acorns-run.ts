import { runAcorn } from '../routes/run-acorn.ts';
import { lambdaHandler } from './handler.ts';

export const handler = lambdaHandler(runAcorn);

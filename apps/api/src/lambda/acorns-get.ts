import { getAcorn } from '../routes/get-acorn.ts';
import { lambdaHandler } from './handler.ts';

export const handler = lambdaHandler(getAcorn);

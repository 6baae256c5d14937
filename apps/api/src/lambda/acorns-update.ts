import { updateAcorn } from '../routes/update-acorn.ts';
import { lambdaHandler } from './handler.ts';

export const handler = lambdaHandler(updateAcorn);

import { createAcorn } from '../routes/create-acorn.ts';
import { lambdaHandler } from './handler.ts';

export const handler = lambdaHandler(createAcorn);

import { deleteAcorn } from '../routes/delete-acorn.ts';
import { lambdaHandler } from './handler.ts';

export const handler = lambdaHandler(deleteAcorn);

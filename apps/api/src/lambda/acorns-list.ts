import { listAcorns } from '../routes/list-acorns.ts';
import { lambdaHandler } from './handler.ts';

export const handler = lambdaHandler(listAcorns);

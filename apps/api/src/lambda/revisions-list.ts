import { listRevisions } from '../routes/list-revisions.ts';
import { lambdaHandler } from './handler.ts';

export const handler = lambdaHandler(listRevisions);

import { getRevision } from '../routes/get-revision.ts';
import { lambdaHandler } from './handler.ts';

export const handler = lambdaHandler(getRevision);

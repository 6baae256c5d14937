import { listInvocations } from '../routes/list-invocations.ts';
import { lambdaHandler } from './handler.ts';

export const handler = lambdaHandler(listInvocations);

import { getIdentity } from '../routes/get-identity.ts';
import { lambdaHandler } from './handler.ts';

export const handler = lambdaHandler(getIdentity);

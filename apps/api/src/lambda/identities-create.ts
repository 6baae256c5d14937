import { createIdentity } from '../routes/create-identity.ts';
import { lambdaHandler } from './handler.ts';

export const handler = lambdaHandler(createIdentity);

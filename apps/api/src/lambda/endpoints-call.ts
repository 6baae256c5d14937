import { callEndpoint } from '../routes/call-endpoint.ts';
import { lambdaHandler } from './handler.ts';

export const handler = lambdaHandler(callEndpoint);

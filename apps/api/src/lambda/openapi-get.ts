import { openApi } from '../routes/index.ts';
import { lambdaHandler } from './handler.ts';

export const handler = lambdaHandler(openApi);

import { runCode } from '../routes/run-code.ts';
import { lambdaHandler } from './handler.ts';

export const handler = lambdaHandler(runCode);

export { startHttpApp, appUrl } from './start-http-app';
export type { HttpAppOptions } from './start-http-app';
export { runApp, runCli } from './run-app';
export { deprecationHeaders } from './warning-headers';
export { ApiProblems, PROBLEM_DETAILS_SCHEMA } from './api-problems';
export { ApiQuerySchema } from './api-query-schema';

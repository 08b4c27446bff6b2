export { KorpuException, isFinalRefusal, isKorpuException } from './korpu.exception';
export type { KorpuErrorOptions } from './korpu.exception';
export { ProblemDetailsFilter, toProblem } from './problem-details.filter';
export type { ProblemDetails } from './problem-details.filter';
export { INSTANT_SCHEMA, parameterValid, readRequest, requestProblems } from './request-schema';
export type { RequestReading, RequestSchema } from './request-schema';

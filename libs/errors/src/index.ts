export { KorpuException, isKorpuException } from './korpu.exception';
export type { KorpuErrorOptions } from './korpu.exception';

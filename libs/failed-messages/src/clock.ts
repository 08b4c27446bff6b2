// One clock port for the operators' capabilities (@korpu/operators); tests of this lib inject a fixed one.
export { Clock, SystemClock } from '@korpu/operators';

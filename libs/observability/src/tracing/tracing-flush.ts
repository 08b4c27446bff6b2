import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { shutdownTracing } from './tracing';

/** At a graceful shutdown, sends the spans still buffered (nothing to do when tracing is off). */
@Injectable()
export class TracingFlush implements OnApplicationShutdown {
  onApplicationShutdown(): Promise<void> {
    return shutdownTracing();
  }
}

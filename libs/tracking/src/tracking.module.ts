import { Module } from '@nestjs/common';
import { MessageStatusRepository } from './message-status.repository';

/** Message statuses and history; needs a `Database` from StoreModule in the app. */
@Module({ providers: [MessageStatusRepository], exports: [MessageStatusRepository] })
export class TrackingModule {}

export const TRACKING_MIGRATIONS = `${__dirname}/../migrations`;

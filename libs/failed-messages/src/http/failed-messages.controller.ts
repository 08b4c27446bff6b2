import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Permission } from '@korpu/operators';
import { ApiParamFromSchema, ApiProblems, ApiQueryFromSchema } from '@korpu/platform';
import { MESSAGE_ID_PARAM_SCHEMA } from '../command-input';
import { EDIT_FAILED_MESSAGE_BODY, EditFailedMessageCommand } from '../edit-failed-message/edit-failed-message.command';
import { EditFailedMessageUseCase, EditResult } from '../edit-failed-message/edit-failed-message.usecase';
import { FailedMessagePage } from '../failed-message';
import { GetFailedMessageCommand } from '../get-failed-message/get-failed-message.command';
import { FailedMessageDetails, GetFailedMessageUseCase } from '../get-failed-message/get-failed-message.usecase';
import { LIST_FAILED_MESSAGES_QUERY, ListFailedMessagesCommand } from '../list-failed-messages/list-failed-messages.command';
import { ListFailedMessagesUseCase } from '../list-failed-messages/list-failed-messages.usecase';
import { LIST_FAILURE_GROUPS_QUERY, ListFailureGroupsCommand } from '../list-failure-groups/list-failure-groups.command';
import { FailureGroups, ListFailureGroupsUseCase } from '../list-failure-groups/list-failure-groups.usecase';
import { REPLAY_FAILED_MESSAGE_BODY, ReplayFailedMessageCommand } from '../replay-failed-message/replay-failed-message.command';
import { ReplayFailedMessageUseCase, ReplayResult } from '../replay-failed-message/replay-failed-message.usecase';
import { REPLAY_FAILED_MESSAGES_BODY, ReplayFailedMessagesCommand } from '../replay-failed-messages/replay-failed-messages.command';
import { BulkReplayResult, ReplayFailedMessagesUseCase } from '../replay-failed-messages/replay-failed-messages.usecase';
import { RESOLVE_FAILED_MESSAGE_BODY, ResolveFailedMessageCommand } from '../resolve-failed-message/resolve-failed-message.command';
import { ResolveFailedMessageUseCase, ResolveResult } from '../resolve-failed-message/resolve-failed-message.usecase';
import { CHANGE_REPLAY_JOB_BODY, ChangeReplayJobCommand, REPLAY_JOB_ACTION_PARAM_SCHEMA } from '../change-replay-job/change-replay-job.command';
import { ChangeReplayJobUseCase } from '../change-replay-job/change-replay-job.usecase';
import { CREATE_REPLAY_JOB_BODY, CreateReplayJobCommand } from '../create-replay-job/create-replay-job.command';
import { CreateReplayJobUseCase, ReplayJobPreview } from '../create-replay-job/create-replay-job.usecase';
import { DISCARD_FAILED_MESSAGE_BODY, DiscardFailedMessageCommand } from '../discard-failed-message/discard-failed-message.command';
import { DiscardFailedMessageUseCase } from '../discard-failed-message/discard-failed-message.usecase';
import { GET_REPLAY_JOB_QUERY, GetReplayJobCommand, JOB_ID_PARAM_SCHEMA } from '../get-replay-job/get-replay-job.command';
import { GetReplayJobUseCase, ReplayJobDetails } from '../get-replay-job/get-replay-job.usecase';
import { PurgeFailedMessagesCommand } from '../purge-failed-messages/purge-failed-messages.command';
import { PurgeFailedMessagesUseCase, PurgeResult } from '../purge-failed-messages/purge-failed-messages.usecase';
import { ReplayJob, ReplayJobProgress } from '../replay-job';
import { RESTORE_FAILED_MESSAGE_BODY, RestoreFailedMessageCommand } from '../restore-failed-message/restore-failed-message.command';
import { RestoreFailedMessageUseCase } from '../restore-failed-message/restore-failed-message.usecase';
import { AdminGuard } from './admin.guard';
import { Operator, RequirePermission } from './operator.decorator';
import { PersonalDataInterceptor } from './personal-data.interceptor';

/**
 * The integration engineers' API over failed messages: search, inspect (with history and live delivery status),
 * edit, replay (one or by filter), resolve. Every route needs an operator token and the permission it declares
 * (roles: @korpu/operators); every action is audited there.
 */
@ApiTags('admin: failed messages')
@ApiBearerAuth()
@ApiProblems({
  400: 'FAILED_MESSAGE_REQUEST_INVALID (`problems` lists each), REQUEST_MALFORMED (not JSON)',
  401: 'ADMIN_UNAUTHENTICATED: no or a wrong operator token; OPERATOR_SESSION_ENDED',
  403: 'OPERATOR_FORBIDDEN: the operator\'s roles lack the permission (also: Korpu-Unmask-Reason without personal-data:unmask)',
  404: 'FAILED_MESSAGE_NOT_FOUND, REPLAY_JOB_NOT_FOUND',
  409: 'FAILED_MESSAGE_STATE_CONFLICT, FAILED_MESSAGE_NOT_REPLAYABLE, REPLAY_JOB_STATE_CONFLICT, FAILED_MESSAGE_RESTORE_EXPIRED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'EDIT_INVALID (the schema\'s violations)',
  503: 'REPLAY_PUBLISH_FAILED (Kafka did not take it; nothing changed), EDIT_VALIDATION_UNAVAILABLE',
})
@UseGuards(AdminGuard)
// Every answer that carries a failed message (details, edit, resolve, discard, restore) is masked here.
@UseInterceptors(PersonalDataInterceptor)
@Controller('v1/admin')
export class FailedMessagesController {
  constructor(
    private readonly list: ListFailedMessagesUseCase,
    private readonly groups: ListFailureGroupsUseCase,
    private readonly get: GetFailedMessageUseCase,
    private readonly edit: EditFailedMessageUseCase,
    private readonly replay: ReplayFailedMessageUseCase,
    private readonly bulkReplay: ReplayFailedMessagesUseCase,
    private readonly resolve: ResolveFailedMessageUseCase,
    private readonly discard: DiscardFailedMessageUseCase,
    private readonly restore: RestoreFailedMessageUseCase,
    private readonly purge: PurgeFailedMessagesUseCase,
    private readonly createReplayJob: CreateReplayJobUseCase,
    private readonly getReplayJob: GetReplayJobUseCase,
    private readonly changeReplayJob: ChangeReplayJobUseCase,
  ) {}

  @Get('failed-messages')
  @RequirePermission(Permission.READ_FAILED_MESSAGES)
  @ApiOperation({
    summary: 'Search failed messages, newest failure first',
    description: 'Keyset paging: pass nextCursor of a page as cursor for the next one.',
  })
  @ApiQueryFromSchema(LIST_FAILED_MESSAGES_QUERY)
  async listFailedMessages(@Query() query: Record<string, unknown>): Promise<FailedMessagePage> {
    return this.list.execute(ListFailedMessagesCommand.create(query));
  }

  @Get('failed-messages/groups')
  @RequirePermission(Permission.READ_FAILED_MESSAGES)
  @ApiOperation({ summary: 'Counts of failed messages by cause (by=fingerprint, default) or by service (by=service); same filters as the list' })
  @ApiQueryFromSchema(LIST_FAILURE_GROUPS_QUERY)
  async listGroups(@Query() query: Record<string, unknown>): Promise<FailureGroups> {
    return this.groups.execute(ListFailureGroupsCommand.create(query));
  }

  @Post('failed-messages/replay')
  @HttpCode(200)
  @RequirePermission(Permission.REPLAY)
  @ApiOperation({
    summary: 'Replay every failed message matching a filter, oldest first, up to a cap',
    description: 'Body: { filter: {...list filters; status defaults to unresolved}, limit?, force?, reason?, dryRun? }',
  })
  @ApiBody({ schema: REPLAY_FAILED_MESSAGES_BODY })
  async replayMatching(@Operator() operator: string | undefined, @Body() body: unknown): Promise<BulkReplayResult> {
    return this.bulkReplay.execute(ReplayFailedMessagesCommand.create({ operator, body }));
  }

  @Post('failed-messages/purge')
  @RequirePermission(Permission.PURGE)
  @HttpCode(200)
  @ApiOperation({ summary: 'Run the retention purge now (resolved/archived and discarded messages past retention); each leaves a trace' })
  async purgeNow(@Operator() operator: string | undefined): Promise<PurgeResult> {
    return this.purge.execute(PurgeFailedMessagesCommand.create({ operator }));
  }

  @Post('replay-jobs')
  @RequirePermission(Permission.BULK_JOBS)
  @HttpCode(201)
  @ApiOperation({
    summary: 'Create a bulk-replay job (or preview it): from ids, a failure group (fingerprint) or a filter',
    description:
      'Body: { ids: [...] | fingerprint | filter: {...list filters; status defaults to unresolved}, force?, reason?, preview? }. ' +
      'preview: true answers how many and which partners (with their rates) and creates nothing. The job runs in the worker, ' +
      'in batches, at each partner\'s configured rate; a message already pending in another job is left to it.',
  })
  @ApiBody({ schema: CREATE_REPLAY_JOB_BODY })
  async createJob(@Operator() operator: string | undefined, @Body() body: unknown): Promise<ReplayJobPreview | ReplayJobProgress> {
    return this.createReplayJob.execute(CreateReplayJobCommand.create({ operator, body }));
  }

  @Get('replay-jobs')
  @RequirePermission(Permission.READ_FAILED_MESSAGES)
  @ApiOperation({ summary: 'The 50 most recent bulk-replay jobs' })
  async listJobs(): Promise<{ items: ReplayJob[] }> {
    return this.getReplayJob.recent();
  }

  @Get('replay-jobs/:jobId')
  @RequirePermission(Permission.READ_FAILED_MESSAGES)
  @ApiOperation({
    summary: 'A job\'s progress: done / failed / skipped / in doubt / remaining, rate, ETA',
    description: 'items=in-doubt,skipped (item states) also lists those messages (limit, default 200).',
  })
  @ApiParamFromSchema('jobId', JOB_ID_PARAM_SCHEMA)
  @ApiQueryFromSchema(GET_REPLAY_JOB_QUERY)
  async getJob(@Param('jobId') jobId: string, @Query() query: Record<string, unknown>): Promise<ReplayJobDetails> {
    return this.getReplayJob.execute(GetReplayJobCommand.create({ jobId, query }));
  }

  @Post('replay-jobs/:jobId/:action')
  @RequirePermission(Permission.BULK_JOBS)
  @HttpCode(200)
  @ApiOperation({ summary: 'pause | resume | cancel a job (body { reason? })' })
  @ApiParamFromSchema('jobId', JOB_ID_PARAM_SCHEMA)
  @ApiParamFromSchema('action', REPLAY_JOB_ACTION_PARAM_SCHEMA)
  @ApiBody({ schema: CHANGE_REPLAY_JOB_BODY, required: false })
  async changeJob(
    @Operator() operator: string | undefined,
    @Param('jobId') jobId: string,
    @Param('action') action: string,
    @Body() body: unknown,
  ): Promise<ReplayJobProgress> {
    return this.changeReplayJob.execute(ChangeReplayJobCommand.create({ jobId, action, operator, body }));
  }

  @Get('failed-messages/:id')
  @RequirePermission(Permission.READ_FAILED_MESSAGES)
  @ApiOperation({ summary: 'One failed message: the original record, the edit if any, its history and its delivery status (audited)' })
  @ApiParamFromSchema('id', MESSAGE_ID_PARAM_SCHEMA)
  async getFailedMessage(@Operator() operator: string | undefined, @Param('id') id: string): Promise<FailedMessageDetails> {
    return this.get.execute(GetFailedMessageCommand.create({ messageId: id, operator }));
  }

  @Post('failed-messages/:id/edit-and-replay')
  @HttpCode(200)
  @RequirePermission(Permission.EDIT)
  @ApiOperation({
    summary: 'Edit and replay: send a corrected copy under a NEW message id (editOf = this one); the original is kept and marked',
    description:
      'Body: { payload: <JSON value, or a string for XML>, reason? }. Validated against the schema of the message type and version first. ' +
      'Answers the copy id and the difference (JSON Patch, RFC 6902, for JSON; a unified diff for XML), also shown in the original\'s details.',
  })
  @ApiParamFromSchema('id', MESSAGE_ID_PARAM_SCHEMA)
  @ApiBody({ schema: EDIT_FAILED_MESSAGE_BODY })
  async editAndReplay(@Operator() operator: string | undefined, @Param('id') id: string, @Body() body: unknown): Promise<EditResult> {
    return this.edit.execute(EditFailedMessageCommand.create({ messageId: id, operator, body }));
  }

  @Post('failed-messages/:id/discard')
  @RequirePermission(Permission.DISCARD)
  @HttpCode(200)
  @ApiOperation({ summary: 'Discard with a reason (body { reason }); restorable until the retention purge' })
  @ApiParamFromSchema('id', MESSAGE_ID_PARAM_SCHEMA)
  @ApiBody({ schema: DISCARD_FAILED_MESSAGE_BODY })
  async discardOne(@Operator() operator: string | undefined, @Param('id') id: string, @Body() body: unknown): Promise<ResolveResult> {
    return this.discard.execute(DiscardFailedMessageCommand.create({ messageId: id, operator, body }));
  }

  @Post('failed-messages/:id/restore')
  @RequirePermission(Permission.DISCARD)
  @HttpCode(200)
  @ApiOperation({ summary: 'Restore a discarded message to unresolved, within the retention period (body { reason? })' })
  @ApiParamFromSchema('id', MESSAGE_ID_PARAM_SCHEMA)
  @ApiBody({ schema: RESTORE_FAILED_MESSAGE_BODY, required: false })
  async restoreOne(@Operator() operator: string | undefined, @Param('id') id: string, @Body() body: unknown): Promise<ResolveResult> {
    return this.restore.execute(RestoreFailedMessageCommand.create({ messageId: id, operator, body }));
  }

  @Post('failed-messages/:id/replay')
  @HttpCode(200)
  @RequirePermission(Permission.REPLAY)
  @ApiOperation({
    summary: 'Replay the original record (same message id and key) to its original topic',
    description:
      'Body: { force?, reason? }. Without force the dispatcher does not resend a message whose reply is already recorded; ' +
      'force (needs a reason) sets korpu-replay-of so the partner receives it again.',
  })
  @ApiParamFromSchema('id', MESSAGE_ID_PARAM_SCHEMA)
  @ApiBody({ schema: REPLAY_FAILED_MESSAGE_BODY, required: false })
  async replayOne(@Operator() operator: string | undefined, @Param('id') id: string, @Body() body: unknown): Promise<ReplayResult> {
    return this.replay.execute(ReplayFailedMessageCommand.create({ messageId: id, operator, body }));
  }

  @Post('failed-messages/:id/resolve')
  @HttpCode(200)
  @RequirePermission(Permission.RESOLVE)
  @ApiOperation({ summary: 'Close without replaying: resolved, or archived with { archive: true }; body { reason? }' })
  @ApiParamFromSchema('id', MESSAGE_ID_PARAM_SCHEMA)
  @ApiBody({ schema: RESOLVE_FAILED_MESSAGE_BODY, required: false })
  async resolveOne(@Operator() operator: string | undefined, @Param('id') id: string, @Body() body: unknown): Promise<ResolveResult> {
    return this.resolve.execute(ResolveFailedMessageCommand.create({ messageId: id, operator, body }));
  }
}

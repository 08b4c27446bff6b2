/** Stable codes of this capability's errors (problem+json `code`). */
export enum OperationalMonitoringErrorCode {
  /** The query of GET /v1/admin/operational-records breaks its schema (`problems` lists each). */
  REQUEST_INVALID = 'OPERATIONAL_RECORDS_REQUEST_INVALID',
}

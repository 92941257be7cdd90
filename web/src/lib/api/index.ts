export { createHttpClient, type HttpClient, type HttpClientOptions } from './http';
export { createHrmApi, type HrmApi } from './hrm-api';
export { createSyncApi, type PullParams, type SyncApi } from './sync-api';
export { ABORTED, NETWORK, isNetworkError, isRetryable, type ApiError, type ApiErrorCode, type ApiResult } from './errors';
export { describeError } from './messages';
export type { DeviceSession, LoginRequest, Registration, User } from './types';

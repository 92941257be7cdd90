/** History, the pure half: training progress from stored session summaries (weeks, trends, records). */
export * from './progress';

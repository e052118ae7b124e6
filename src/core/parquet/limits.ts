/**
 * The Parquet export's sizes, apart from the writer so that a command can read them (and parse
 * its options) without loading hyparquet-writer.
 */
export interface ParquetLimits {
  /** A shard holds at most this many bytes, unless one row group alone is bigger. */
  readonly shardBytes: number;
  readonly rowGroupBytes: number;
  readonly rowGroupRows: number;
}

/**
 * 500 MB shards (`datasets`' MAX_SHARD_SIZE for push_to_hub); row groups of at most 64 MiB of
 * images or 1,000 rows, under `datasets`' 100 MB MAX_ROW_GROUP_SIZE, so the hub's viewer reads
 * a group at a time and a writer holds one group per split.
 */
export const DEFAULT_LIMITS: ParquetLimits = { shardBytes: 500_000_000, rowGroupBytes: 64 << 20, rowGroupRows: 1000 };

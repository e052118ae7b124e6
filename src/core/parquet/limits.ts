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
 * 500 MB shards (`datasets`' MAX_SHARD_SIZE for push_to_hub); row groups of at most 100 rows
 * (what `datasets` writes for a dataset with an Image feature, PARQUET_ROW_GROUP_SIZE_FOR_IMAGE_DATASETS:
 * reading one row reads its whole group, and the hub's viewer expects that size) or 64 MiB of
 * images, under `datasets`' 100 MB MAX_ROW_GROUP_SIZE; a writer holds one group per split.
 */
export const DEFAULT_LIMITS: ParquetLimits = { shardBytes: 500_000_000, rowGroupBytes: 64 << 20, rowGroupRows: 100 };

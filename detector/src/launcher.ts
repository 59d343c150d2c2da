/**
 * Node's flags for every s3guard process.
 *
 * Each semi-space of the young generation at V8's usual 16 MB from the start, where V8 would
 * start it at 1 MB and grow it only slowly. A log file's records stay alive while they are
 * evaluated, and in a small young generation they are copied from one collection to the next:
 * scans of S3 traffic measured about 9% faster, with no more memory at peak (a connector with a
 * worker thread holds up to 64 MB of young generation from the start). 32 MB was 1-5% faster
 * still, for 20-30 MB more per thread.
 *
 * No allocation-site pretenuring: a worker thread keeps a whole file's stateful steps until it
 * sends them, V8 then allocates steps straight in the old generation, and every young collection
 * has to keep alive and promote the young strings they point to. A worker's evaluation alone
 * spent 450 ms in young collections instead of 60 ms on 200,000 S3 records; scans with two
 * workers took about 10% less time and CPU, one worker the same.
 *
 * Such flags count only when node starts: the launcher's first line and the container's
 * entrypoint give them, and tests hold both to this list.
 */
export const NODE_FLAGS: readonly string[] = ["--min-semi-space-size=16", "--max-semi-space-size=16", "--no-allocation-site-pretenuring"];

/** The trail is multi-region: S3 data events are recorded in the bucket's region, so a single-region trail misses buckets elsewhere. */
export default function trailIsMultiRegion(trail: { isMultiRegionTrail?: boolean }): string[] {
  return trail.isMultiRegionTrail === true
    ? []
    : [
        "The trail records events of its home region only, so reads and writes of watched buckets in other regions go unrecorded. " +
          "Set isMultiRegionTrail to true (s3guard:trail.multiRegion: true).",
      ];
}

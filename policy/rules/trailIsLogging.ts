/** The trail is logging: `enableLogging: false` keeps the trail but stops it, which silently ends all auditing. */
export default function trailIsLogging(trail: { enableLogging?: boolean }): string[] {
  return trail.enableLogging === false
    ? ["The trail is stopped (enableLogging is false), so it records nothing. Remove enableLogging or set it to true."]
    : [];
}

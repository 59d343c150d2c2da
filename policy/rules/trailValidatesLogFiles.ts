/** The trail validates its log files: CloudTrail then signs a digest of each delivery, so tampering can be proven. */
export default function trailValidatesLogFiles(trail: { enableLogFileValidation?: boolean }): string[] {
  return trail.enableLogFileValidation === true
    ? []
    : [
        "The trail does not validate its log files, so nobody can prove that a delivered log file was not altered or deleted. " +
          "Set enableLogFileValidation to true.",
      ];
}

/**
 * Tags on everything s3guard creates: the user's `s3guard:tags`, plus two of our own so that cost
 * reports and the console can tell which stack and which component a resource belongs to.
 */

export const OWN_TAG_PREFIX = "s3guard:";
export const STACK_TAG = "s3guard:stack";
export const COMPONENT_TAG = "s3guard:component";
export const OWN_TAG_KEYS: readonly string[] = [STACK_TAG, COMPONENT_TAG];

export type Tags = Readonly<Record<string, string>>;

/** Tags shared by the whole stack: the user's tags and `s3guard:stack = <project>/<stack>`. */
export function stackTags(userTags: Tags, project: string, stack: string): Record<string, string> {
  return { ...userTags, [STACK_TAG]: `${project}/${stack}` };
}

/** `base` plus `s3guard:component = component`, for resources of one component. */
export function componentTags(base: Tags | undefined, component: string): Record<string, string> {
  return { ...(base ?? {}), [COMPONENT_TAG]: component };
}

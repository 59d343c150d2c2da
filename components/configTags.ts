import { MAX_TAG_KEY_LENGTH, MAX_TAG_VALUE_LENGTH, MAX_TAGS } from "./awsLimits";
import { isRecord, ProblemList } from "./configReader";
import { OWN_TAG_KEYS, OWN_TAG_PREFIX } from "./tags";

const PATH = "s3guard:tags";
/**
 * Characters every service s3guard tags accepts in tag keys and values: letters, digits, spaces and
 * _ . : / = + -. Most services also take @, DynamoDB (the state table) does not.
 */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-]*$/u;

/** Reads `s3guard:tags`, a mapping of tag keys to string values applied to every taggable resource. */
export function readTags(problems: ProblemList, value: unknown): Record<string, string> {
  if (value === undefined || value === null) {
    return {};
  }
  if (!isRecord(value)) {
    problems.add("WRONG_TYPE", PATH, value, "not a mapping of tag keys to values", "use e.g. {team: storage, cost-center: \"1234\"}");
    return {};
  }
  const tags: Record<string, string> = {};
  for (const [key, tagValue] of Object.entries(value)) {
    const path = `${PATH}.${key}`;
    const keyProblem = tagKeyProblem(key);
    if (keyProblem !== undefined) {
      problems.add("INVALID_TAG", path, key, "not a usable tag key", keyProblem);
      continue;
    }
    if (typeof tagValue !== "string") {
      problems.add("WRONG_TYPE", path, tagValue, "not a string", 'tag values are strings: quote numbers and booleans, e.g. "1234"');
      continue;
    }
    if (tagValue.length > MAX_TAG_VALUE_LENGTH || !TAG_TEXT.test(tagValue)) {
      problems.add(
        "INVALID_TAG",
        path,
        tagValue,
        "not a usable tag value",
        `use at most ${MAX_TAG_VALUE_LENGTH} letters, digits, spaces and _ . : / = + -`,
      );
      continue;
    }
    tags[key] = tagValue;
  }
  const limit = MAX_TAGS - OWN_TAG_KEYS.length;
  if (Object.keys(value).length > limit) {
    problems.add(
      "OUT_OF_RANGE",
      PATH,
      Object.keys(value).length,
      "too many tags",
      `use at most ${limit}: AWS allows ${MAX_TAGS} per resource and s3guard adds ${OWN_TAG_KEYS.join(" and ")}`,
    );
  }
  return tags;
}

function tagKeyProblem(key: string): string | undefined {
  if (key.length === 0 || key.length > MAX_TAG_KEY_LENGTH || !TAG_TEXT.test(key)) {
    return `use 1 to ${MAX_TAG_KEY_LENGTH} letters, digits, spaces and _ . : / = + -`;
  }
  if (key.toLowerCase().startsWith("aws:")) {
    return 'keys starting with "aws:" are reserved by AWS';
  }
  if (key.startsWith(OWN_TAG_PREFIX)) {
    return `keys starting with "${OWN_TAG_PREFIX}" are set by s3guard itself`;
  }
  return undefined;
}

import { bucketNameProblem } from "../../components/bucketNames";

describe("bucketNameProblem (S3 general purpose bucket naming rules)", () => {
  it.each(["customer-data-dev", "abc", "a".repeat(63), "logs.example.com", "1bucket9", "my-bucket-s3alias2"])(
    "accepts %s",
    (name) => {
      expect(bucketNameProblem(name)).toBeUndefined();
    },
  );

  it.each([
    ["ab", "be 3 to 63 characters long (this one has 2)"],
    ["a".repeat(64), "be 3 to 63 characters long (this one has 64)"],
    ["Customer-Data", "use only lowercase letters, digits, dots and hyphens"],
    ["customer_data", "use only lowercase letters, digits, dots and hyphens"],
    ["-customer", "begin and end with a lowercase letter or digit"],
    ["customer.", "begin and end with a lowercase letter or digit"],
    ["customer..data", "not contain two adjacent dots"],
    ["192.168.5.4", "not be formatted as an IP address"],
    ["xn--bucket", 'not start with the reserved prefix "xn--"'],
    ["sthree-bucket", 'not start with the reserved prefix "sthree-"'],
    ["amzn-s3-demo-bucket", 'not start with the reserved prefix "amzn-s3-demo-"'],
    ["bucket-s3alias", 'not end with the reserved suffix "-s3alias"'],
    ["bucket--ol-s3", 'not end with the reserved suffix "--ol-s3"'],
    ["bucket.mrap", 'not end with the reserved suffix ".mrap"'],
    ["bucket--x-s3", 'not end with the reserved suffix "--x-s3"'],
    ["bucket--table-s3", 'not end with the reserved suffix "--table-s3"'],
  ])("rejects %s: must %s", (name, reason) => {
    expect(bucketNameProblem(name)).toBe(reason);
  });
});

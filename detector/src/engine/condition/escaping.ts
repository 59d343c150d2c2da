/**
 * Decodes a quoted condition string (delimiters included), as Falco 0.38-0.43 does:
 * `\b \f \n \r \t \\ \/`, the delimiter's own quote, and a legacy `\ ` that yields a backslash.
 * The other quote, `\xHH` and any other escape are errors.
 */
export function unescapeQuoted(quoted: string): string {
  const delim = quoted[0];
  const end = quoted.length - 1;
  let out = "";
  for (let i = 1; i < end; i++) {
    const c = quoted[i];
    if (c !== "\\") {
      out += c;
      continue;
    }
    const e = quoted[++i];
    switch (e) {
      case "b":
        out += "\b";
        break;
      case "f":
        out += "\f";
        break;
      case "n":
        out += "\n";
        break;
      case "r":
        out += "\r";
        break;
      case "t":
        out += "\t";
        break;
      case " ":
      case "\\":
        out += "\\";
        break;
      case "/":
        out += "/";
        break;
      case '"':
        if (delim !== '"') throw new Error(`invalid \\" escape in '-quoted string`);
        out += '"';
        break;
      case "'":
        if (delim !== "'") throw new Error(`invalid \\' escape in "-quoted string`);
        out += "'";
        break;
      default:
        throw new Error(`unsupported string escape sequence: \\${e ?? ""}`);
    }
  }
  return out;
}

import { CompileError, compileOperand, Operand } from "./operand";
import { parseFieldPrefix } from "./parser";

/**
 * The field or transformer that starts `text` in an output format: the longest prefix that parses
 * and names a valid field, as libsinsp's formatter finds it (`%ct.namefoo` is ct.name + "foo").
 */
export function parseFieldFormatPrefix(text: string, offset: number): { operand: Operand; length: number } {
  let lastError = "";
  for (let size = text.length; size > 0; size--) {
    try {
      const { operand, length } = parseFieldPrefix(text.slice(0, size));
      return { operand: compileOperand(operand), length };
    } catch (e) {
      lastError = (e as Error).message;
    }
  }
  throw new CompileError(`unknown filter: ${lastError}`, offset, true);
}

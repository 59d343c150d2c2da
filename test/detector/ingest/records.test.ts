import fc from "fast-check";
import * as exactJson from "../../../detector/src/engine/json/exactJson";
import { parseLogText } from "../../../detector/src/ingest/records";
import { RecordSplitter } from "../../../detector/src/ingest/splitter";
import { parseJsonExact, RawNumber, jsonText, type ExactSource } from "../../../detector/src/engine";
import { exactJsonText } from "../../../detector/src/engine/json/jsonText";

function collect(text: string) {
  const records: Record<string, unknown>[] = [];
  const errors: string[] = [];
  parseLogText(text, { record: (r) => records.push(r), error: (m, w) => errors.push(`${w ?? ""}: ${m}`) });
  return { records, errors };
}

const file = (records: unknown[]) => JSON.stringify({ Records: records });

describe("reading records", () => {
  it("takes CloudTrail files, arrays, single events and JSON Lines", () => {
    expect(collect(file([{ a: 1 }, { b: 2 }])).records).toEqual([{ a: 1 }, { b: 2 }]);
    expect(collect('[{"a":1},{"b":2}]').records).toEqual([{ a: 1 }, { b: 2 }]);
    expect(collect('{"eventName":"X"}').records).toEqual([{ eventName: "X" }]);
    expect(collect('{"a":1}\n{"b":2}\n\n{"c":3}\n').records).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
    expect(collect(file([{ a: 1 }]) + "\n" + file([{ b: 2 }])).records).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it("reports a record that is not an object, with its position, and keeps the others", () => {
    const { records, errors } = collect(file([{ a: 1 }, 5, { b: 2 }]));
    expect(records).toEqual([{ a: 1 }, { b: 2 }]);
    expect(errors).toEqual(["record 2: record is not a JSON object (number)"]);
  });

  it("reports invalid JSON in one record and keeps the records around it", () => {
    const { records, errors } = collect('{"Records":[{"a":1},{"b":tru},{"c":3}]}');
    expect(records).toEqual([{ a: 1 }, { c: 3 }]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^record 2 \(offset 20\): invalid JSON/);
  });

  it("keeps the records of a truncated file and says it was cut", () => {
    const { records, errors } = collect('{"Records":[{"a":1},{"b":2},{"c":');
    expect(records).toEqual([{ a: 1 }, { b: 2 }]);
    expect(errors[0]).toContain("truncated");
  });

  it("refuses input that is not JSON in one line", () => {
    const { records, errors } = collect("Apache License\nVersion 2.0\n");
    expect(records).toEqual([]);
    expect(errors).toEqual([': not CloudTrail records: the input is not JSON (it starts with "Apache License\\nVersi")']);
  });
});

describe("records let go of", () => {
  // A full collection on demand: only unreachable objects go, so what stays is what is still held.
  require("node:v8").setFlagsFromString("--expose-gc");
  const collectGarbage = require("node:vm").runInNewContext("gc") as () => void;

  it("a record the sink does not keep is garbage, even while another record's exact twin is kept", async () => {
    const list = [1, 2, 3].map((n) => ({ eventID: `id-${n}`, eventTime: "2024-05-01T00:00:00Z", n, amount: 1.5 }));
    const refs: WeakRef<object>[] = [];
    let kept: ExactSource | undefined;
    parseLogText(file(list), {
      record: (r, exact, n) => {
        refs.push(new WeakRef(r));
        if (n === 2) kept = exact;
      },
      error: () => undefined,
    });
    // A WeakRef keeps its target through the job that made it.
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    expect(refs.map((r) => r.deref() !== undefined)).toEqual([false, true, false]);
    // The kept twin still finds its own record's text in the file.
    expect(kept!.text!()).toBe(JSON.stringify(list[1]));
    expect(kept!.candidates!()).toEqual(new Set([1.5]));
  });
});

describe("numbers as written", () => {
  afterEach(() => jest.restoreAllMocks());

  function twins(text: string) {
    const exact: (ExactSource | undefined)[] = [];
    parseLogText(text, { record: (_r, e) => exact.push(e), error: () => undefined });
    return exact;
  }

  it("parses only the asked record again, from its own text", () => {
    const records = [1.5, 2048.0, 3.25].map((n, i) => `{"eventID":"e${i}","eventTime":"t","additionalEventData":{"bytes":${n.toFixed(i === 1 ? 1 : 2)}}}`);
    const text = `{"Records":[${records.join(",")}]}`;
    const spy = jest.spyOn(exactJson, "parseJsonExact");
    const exact = twins(text)[1]?.exact() as { additionalEventData: { bytes: RawNumber } };
    expect(exact.additionalEventData.bytes.text).toBe("2048.0");
    expect(spy.mock.calls.map(([t]) => t)).toEqual([records[1]]);
  });

  it("has nothing to recover when the record's numbers read back as written", () => {
    const text = JSON.stringify({ Records: [{ eventID: "a", n: 1.5 }, { eventID: "b", n: 7 }] });
    const [first, second] = twins(text);
    expect(first?.exact()).toEqual({ eventID: "a", n: 1.5 });
    expect(second?.exact()).toBeUndefined();
  });

  it("finds the asked record by its eventID without splitting the file into records", () => {
    const records = [
      { eventID: "e0", eventTime: "t", note: '{"eventID":"e1"} } ] \\" {', n: 1.5 },
      { eventID: "e1", eventTime: "t", nested: { list: [{ a: "]" }, "}"] }, n: 2048 },
    ];
    const text = JSON.stringify({ Records: records }).replace('"n":2048', '"n":2048.0');
    const push = jest.spyOn(RecordSplitter.prototype, "push");
    const exact = twins(text)[1]?.exact() as { n: RawNumber; nested: unknown };
    expect(exact.n.text).toBe("2048.0");
    expect(exact.nested).toEqual(records[1].nested);
    expect(push).not.toHaveBeenCalled();
  });

  it("tells from the record's own text which of its numbers may be written otherwise", () => {
    const text = JSON.stringify({ Records: [{ eventID: "a", n: 7, m: 12 }, { eventID: "b", n: 2048, m: 7 }] }).replace('"n":2048', '"n":2048.0');
    const [first, second] = twins(text);
    expect(first?.candidates?.().size).toBe(0);
    // Record b wrote 2048 as 2048.0: a value of b holding 2048 asks for b's twin; its 7 does not.
    expect([...second!.candidates!()]).toEqual([2048]);
  });

  it("gives a record's own text, as written, only when it is certain which text is the record's", () => {
    const own = '{"eventID":"a","eventTime":"2024-05-01T00:00:00Z","n":2048.0,"s":"\\u00e9"}';
    const again = '{"eventID":"b","eventTime":"2024-05-01T00:00:01Z"}';
    const holder = `{"eventID":"c","eventTime":"2024-05-01T00:00:02Z","copy":${again}}`;
    const [a, b, c] = twins(`{"Records":[${own},${again},${holder}]}`);
    expect(a?.text?.()).toBe(own);
    expect(b?.text?.()).toBe(again);
    expect(c?.text?.()).toBe(holder);
    // Another value says it is b before b does: b's own JSON is found all the same...
    const lookalike = `{"eventID":"d","eventTime":"2024-05-01T00:00:03Z","copy":{"eventID":"b","eventTime":"2024-05-01T00:00:09Z"}}`;
    const [d, b2] = twins(`{"Records":[${lookalike},${again}]}`);
    expect(b2?.text?.()).toBe(again);
    expect(d?.text?.()).toBe(lookalike);
    // ...but written otherwise, which object is b's cannot be told without parsing.
    const spaced = again.replace(",", ", ");
    expect(twins(`{"Records":[${lookalike},${spaced}]}`)[1]?.text?.()).toBeUndefined();
    // Written otherwise than CloudTrail does (spaces): found by the pass over the whole file.
    expect(twins(`{"Records": [${own.replace('"eventID":', '"eventID": ')}]}`)[0]?.text?.()).toBe(own.replace('"eventID":', '"eventID": '));
    expect(twins(`[${own}]`)[0]?.text?.()).toBe(own);
    expect(twins(`${own}\n${again}`).map((e) => e?.text?.())).toEqual([own, again]);
  });

  it("gives a streamed record its numbers as written too", () => {
    const exact: (ExactSource | undefined)[] = [];
    parseLogText('{"eventID":"a","n":2048.0}\n{"eventID":"b","n":1}', { record: (_r, e) => exact.push(e), error: () => undefined });
    expect((exact[0]?.exact() as { n: RawNumber }).n.text).toBe("2048.0");
    expect(exact[1]?.exact()).toBeUndefined();
  });
});

describe("the record splitter", () => {
  function split(text: string, chunk: number) {
    const out: string[] = [];
    const errors: string[] = [];
    const s = new RecordSplitter({ record: (t) => out.push(t), error: (m) => errors.push(m) });
    for (let i = 0; i < text.length; i += chunk) s.push(text.slice(i, i + chunk));
    s.end();
    return { out, errors };
  }

  it.each([1, 2, 7, 1000])("finds the same records whatever the chunk size (%i)", (chunk) => {
    const text = '{"x":{"Records":[0]},"Records":[{"a":"}\\"]"},{"b":[1,{"c":2}]}],"y":1}\n[{"d":4}, 5]';
    expect(split(text, chunk)).toEqual({ out: ['{"a":"}\\"]"}', '{"b":[1,{"c":2}]}', '{"d":4}', "5"], errors: [] });
  });

  it("resynchronises at the next line after garbage", () => {
    expect(split('}{"lost":1}\n{"kept":1}', 3)).toEqual({ out: ['{"kept":1}'], errors: ["expected '{' or '[' at the start of a JSON value, found '}'"] });
  });
});

describe("a record's text by its eventID", () => {
  it("is the exact text of that record, whatever its strings and nesting hold", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ eventID: fc.uuid(), x: fc.jsonValue({ maxDepth: 3 }) }), { minLength: 1, maxLength: 6 }), fc.nat(), fc.boolean(), (list, pick, indent) => {
        const ids = new Set(list.map((r) => r.eventID));
        fc.pre(ids.size === list.length);
        const text = JSON.stringify({ Records: list }, null, indent ? 2 : undefined);
        const want = list[pick % list.length];
        const key = exactJson.eventIdMembers(text).get(want.eventID);
        const slice = key === undefined ? undefined : exactJson.objectTextAround(text, key);
        expect(slice).toBeDefined();
        expect(JSON.parse(slice!)).toEqual(JSON.parse(JSON.stringify(want)));
      }),
    );
  });

  it("is undefined when the id is only inside a string", () => {
    expect(exactJson.eventIdMembers(JSON.stringify({ Records: [{ eventID: "a", s: '"eventID":"b"' }] })).has("b")).toBe(false);
  });
});

describe("exact JSON numbers", () => {
  it("writes a value the same whether it holds numbers or not, deeply nested or not", () => {
    const texts = ['{"a":"x:1.0,","b":[true,null,{"c":"\\u00e9\\ud800"}]}', '{"a":2048.0,"b":"s"}', '{"a":[1e5]}', "[]", "{}", '"s"', "2048.0", '{"__proto__":"p"}'];
    texts.push("[".repeat(20000) + "]".repeat(20000));
    for (const text of texts) {
      const native = JSON.parse(text) as unknown;
      const exact = parseJsonExact(text);
      expect(exactJsonText(native, () => exact)).toBe(jsonText(exact));
    }
  });

  it("keeps the text of numbers JavaScript would print differently", () => {
    const v = parseJsonExact('{"a":2048.0,"b":1e5,"c":12345678901234567890,"d":1.5,"e":"x:1.0,"}') as Record<string, unknown>;
    expect(v.a).toBeInstanceOf(RawNumber);
    expect((v.a as RawNumber).text).toBe("2048.0");
    expect(v.d).toBe(1.5);
    expect(jsonText(v)).toBe('{"a":2048.0,"b":1e5,"c":12345678901234567890,"d":1.5,"e":"x:1.0,"}');
  });

  it("parses like JSON.parse otherwise, and fails the same way", () => {
    const text = '{"a":[1,2,{"b":null,"c":true}],"d":"\\u00e9\\n","e":-0.5e-3}';
    expect(JSON.parse(JSON.stringify(parseJsonExact(text)))).toEqual(JSON.parse(text));
    expect(() => parseJsonExact('{"a":1.0,}')).toThrow(SyntaxError);
  });
});

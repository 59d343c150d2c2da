import { describeMemoryChoices, FARGATE_CPUS, fargateMemoryChoices, isFargateSize } from "../../components/fargateSizes";

describe("Fargate task sizes", () => {
  it("offers the seven documented CPU sizes", () => {
    expect(FARGATE_CPUS).toEqual([256, 512, 1024, 2048, 4096, 8192, 16384]);
  });

  it.each([
    [256, 512],
    [256, 2048],
    [512, 4096],
    [1024, 8192],
    [2048, 4096],
    [2048, 16384],
    [4096, 30720],
    [8192, 61440],
    [16384, 122880],
  ])("accepts cpu %i with memory %i", (cpu, memory) => {
    expect(isFargateSize(cpu, memory)).toBe(true);
  });

  it.each([
    [256, 4096],
    [256, 1536],
    [512, 512],
    [1024, 9216],
    [2048, 3072],
    [4096, 31744],
    [8192, 18432],
    [16384, 36864],
    [300, 512],
  ])("rejects cpu %i with memory %i", (cpu, memory) => {
    expect(isFargateSize(cpu, memory)).toBe(false);
  });

  it("lists the 1 GiB steps for 2 vCPU and the 4 GiB steps for 8 vCPU", () => {
    expect(fargateMemoryChoices(2048)).toHaveLength(13);
    expect(fargateMemoryChoices(8192)).toEqual([16384, 20480, 24576, 28672, 32768, 36864, 40960, 45056, 49152, 53248, 57344, 61440]);
    expect(fargateMemoryChoices(100)).toBeUndefined();
  });

  it("describes the choices the way the error message shows them", () => {
    expect(describeMemoryChoices(256)).toBe("512, 1024 or 2048");
    expect(describeMemoryChoices(4096)).toBe("8192 to 30720 in steps of 1024");
  });
});

